# The README's two commands: `make demo` and `make test`. Both install what is missing first.
SWIFT ?= swift
APT_PACKAGES := libgit2-dev libsqlite3-dev libopenblas-dev pkg-config
# Release builds go to their own folder so `make test` and `make demo` don't rebuild each other.
RELEASE_PATH := .build-release
FMN_RELEASE := $(RELEASE_PATH)/release/fmn

.PHONY: deps build release test demo lint format clean

## deps: install the Debian packages the build needs, when missing (apt-get as root or via sudo).
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing system packages:$$missing"; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product fmn --scratch-path $(RELEASE_PATH)

## test: the whole suite (unit, reference parity, end-to-end CLI tests on the built fmn).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## demo: build in release mode and run the main job (the demo experiment; --resume continues an
## interrupted run, and a finished one is reported as finished).
## The gates' verdicts (exit codes 1 fail, 3 inconclusive) are results, not errors of the demo.
demo: release
	$(FMN_RELEASE) doctor
	@$(FMN_RELEASE) run Experiments/dialogsum-forgetting.yaml --resume; rc=$$?; \
	if [ $$rc -ne 0 ] && [ $$rc -ne 1 ] && [ $$rc -ne 3 ]; then exit $$rc; fi; \
	echo ""; \
	echo "Report: Reports/dialogsum-forgetting/report.html (and report.md); gate exit code $$rc"

lint:
	$(SWIFT) format lint --recursive --strict Sources Tests Package.swift

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

clean:
	rm -rf .build $(RELEASE_PATH)
