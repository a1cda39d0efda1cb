import Tensors

// OpenBLAS picks its kernels when it is loaded, before any Swift code runs; when it picked one
// below what this CPU supports (and the user has not chosen), run again with the right one.
BLASRuntime.prepareProcess()
// ForgetMeNot runs OpenBLAS single-threaded and parallelises itself (see `Matmul`).
Matmul.prepareBLAS()
ForgetMeNot.main()
