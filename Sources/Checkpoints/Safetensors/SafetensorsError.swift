import Foundation

/// Every data and environment error of the `Checkpoints` module: safetensors files, Hugging Face
/// model folders and PEFT adapter folders.
///
/// Each case carries the file it concerns (`path`) and, where one is involved, the tensor name, so
/// that `description` can say what is wrong and how to fix it. Nothing here is a programmer error:
/// those are preconditions.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable, Sendable {
    // MARK: safetensors files

    /// The file could not be opened or read (missing, a folder, no permission).
    case unreadableFile(path: String, reason: String)
    /// Shorter than the 8-byte header-length prefix.
    case fileTooShort(path: String, byteCount: Int)
    /// The 8-byte header length is larger than the sane maximum (100 MB, as the Rust library).
    case headerTooLarge(path: String, headerByteCount: UInt64, limit: Int)
    /// The 8-byte header length points past the end of the file.
    case headerPastEndOfFile(path: String, headerByteCount: UInt64, fileByteCount: Int)
    /// The header is not UTF-8 JSON, or not a JSON object.
    case malformedHeader(path: String, reason: String)
    /// `__metadata__` is present but not an object of string values.
    case malformedMetadata(path: String, reason: String)
    /// A tensor entry lacks `dtype`, `shape` or `data_offsets`, or one of them has the wrong type.
    case malformedTensorEntry(path: String, tensor: String, reason: String)
    /// `dtype` names no safetensors element type.
    case unknownDType(path: String, tensor: String, dtype: String)
    /// `data_offsets` is reversed or reaches past the end of the data section.
    case offsetsOutsideData(path: String, tensor: String, begin: Int, end: Int, dataByteCount: Int)
    /// Two tensors claim some of the same bytes.
    case overlappingOffsets(
        path: String, tensor: String, otherTensor: String, begin: Int, otherEnd: Int)
    /// Bytes between two tensors (or before the first) that no tensor owns.
    case gapInData(path: String, tensor: String, expectedBegin: Int, begin: Int)
    /// The data section holds bytes after the last tensor that no tensor owns.
    case trailingData(path: String, coveredByteCount: Int, dataByteCount: Int)
    /// `data_offsets` spans a different number of bytes than `dtype` size × product of `shape`.
    case byteCountMismatch(
        path: String, tensor: String, dtype: String, shape: [Int], expected: Int, actual: Int)
    /// The requested tensor is not in the file (or folder).
    case missingTensor(path: String, tensor: String)
    /// The tensor's element type cannot be decoded to the requested Swift type.
    case unsupportedDType(path: String, tensor: String, dtype: String, supported: [String])
    /// A pickled PyTorch file (`.bin`, `.pt`, ...): never unpickled, since that can run code.
    case pickledCheckpoint(path: String)
    /// Writing failed; nothing was left at the destination.
    case writeFailed(path: String, reason: String)
    /// A name that cannot be stored (empty, or the reserved `__metadata__`).
    case invalidTensorName(path: String, tensor: String)

    // MARK: model folders

    /// A required file of a model or adapter folder is absent.
    case missingFile(path: String, expected: String)
    /// A JSON file of a folder (config.json, an index, adapter_config.json) is not the JSON
    /// object its format requires.
    case malformedJSON(path: String, reason: String)
    /// `model.safetensors.index.json` is malformed or disagrees with its shards.
    case malformedIndex(path: String, reason: String)
    /// The same tensor appears in two shards.
    case duplicateTensor(path: String, tensor: String, otherPath: String)

    // MARK: adapter folders

    /// A field of `adapter_config.json` is missing or has a bad value.
    case invalidAdapterConfiguration(path: String, field: String, reason: String)
    /// `adapter_config.json` turns on a PEFT feature this tool does not implement.
    case unsupportedAdapterFeature(path: String, field: String, value: String)
    /// A target module that is not one of the Llama projections this tool can adapt.
    case unknownTargetModule(path: String, module: String)
    /// A tensor in `adapter_model.safetensors` that is not a LoRA A/B matrix of a known module.
    case unexpectedAdapterTensor(path: String, tensor: String, reason: String)
    /// A LoRA tensor for a module that `target_modules` (or `layers_to_transform`) leaves out.
    case adapterTargetNotConfigured(path: String, tensor: String, module: String, targets: String)
    /// A LoRA tensor whose rank dimension is not `r`, or that is not a matrix.
    case adapterRankMismatch(path: String, tensor: String, rank: Int, shape: [Int])
    /// A LoRA tensor that does not fit the base weight it adapts.
    case adapterShapeMismatch(
        path: String, tensor: String, shape: [Int], expected: [Int], baseWeight: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the file (\(reason)). Check that the path exists and "
                + "is a readable file."
        case .fileTooShort(let path, let byteCount):
            return "\(path): only \(byteCount) byte(s), shorter than the 8-byte header length "
                + "of a safetensors file; the file is truncated or not safetensors. Download or "
                + "write it again."
        case .headerTooLarge(let path, let headerByteCount, let limit):
            return "\(path): header length \(headerByteCount) exceeds the \(limit)-byte limit; "
                + "the file is corrupt or not safetensors."
        case .headerPastEndOfFile(let path, let headerByteCount, let fileByteCount):
            return "\(path): header length \(headerByteCount) + 8 runs past the end of the "
                + "\(fileByteCount)-byte file; the file is truncated or not safetensors. "
                + "Download or write it again."
        case .malformedHeader(let path, let reason):
            return "\(path): the safetensors header is not a JSON object (\(reason)); the file "
                + "is corrupt or not safetensors."
        case .malformedMetadata(let path, let reason):
            return "\(path): \"__metadata__\" must map strings to strings (\(reason)). Rewrite "
                + "the file with string metadata values."
        case .malformedTensorEntry(let path, let tensor, let reason):
            return "\(path): tensor '\(tensor)': \(reason). Every entry needs \"dtype\", "
                + "\"shape\" and \"data_offsets\"; rewrite the file with a safetensors library."
        case .unknownDType(let path, let tensor, let dtype):
            return "\(path): tensor '\(tensor)': unknown dtype \"\(dtype)\"; known: "
                + SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ") + "."
        case .offsetsOutsideData(let path, let tensor, let begin, let end, let dataByteCount):
            if begin > end {
                return "\(path): tensor '\(tensor)': data_offsets [\(begin), \(end)] are "
                    + "reversed; the header is corrupt. Write the file again."
            }
            return "\(path): tensor '\(tensor)': data_offsets [\(begin), \(end)] reach past "
                + "the \(dataByteCount)-byte data section (\(end - dataByteCount) byte(s) "
                + "missing); the file is truncated. Download or write it again."
        case .overlappingOffsets(let path, let tensor, let otherTensor, let begin, let otherEnd):
            return "\(path): tensor '\(tensor)' starts at byte \(begin), inside '\(otherTensor)' "
                + "(which ends at \(otherEnd)); overlapping tensors mean a corrupt or forged "
                + "header. Write the file again."
        case .gapInData(let path, let tensor, let expectedBegin, let begin):
            return "\(path): tensor '\(tensor)' starts at byte \(begin) but the previous tensor "
                + "ends at \(expectedBegin); safetensors data must be contiguous. Write the file "
                + "again with a safetensors library."
        case .trailingData(let path, let coveredByteCount, let dataByteCount):
            return "\(path): the tensors cover \(coveredByteCount) of the \(dataByteCount) data "
                + "bytes; the remaining bytes belong to no tensor (a missing header entry or an "
                + "appended file). Write the file again."
        case .byteCountMismatch(
            let path, let tensor, let dtype, let shape, let expected, let actual):
            return "\(path): tensor '\(tensor)': dtype \(dtype) × shape \(shape) needs "
                + "\(expected) bytes but data_offsets span \(actual); the header lies about the "
                + "tensor. Write the file again."
        case .missingTensor(let path, let tensor):
            return "\(path): no tensor named '\(tensor)'. Check that the checkpoint was saved "
                + "from a model of the expected architecture and size, with Hugging Face names "
                + "(e.g. `safetensors.safe_open(path, \"pt\").keys()` lists what it holds)."
        case .unsupportedDType(let path, let tensor, let dtype, let supported):
            return "\(path): tensor '\(tensor)' has dtype \(dtype), which cannot be read here "
                + "(supported: \(supported.joined(separator: ", "))). Convert the checkpoint, "
                + "e.g. `model.to(torch.float32).save_pretrained(dir)`."
        case .pickledCheckpoint(let path):
            return "\(path): pickled PyTorch checkpoints are never loaded (unpickling can run "
                + "arbitrary code). Convert it to safetensors first, e.g. with transformers "
                + "`model.save_pretrained(dir, safe_serialization=True)` or "
                + "`safetensors.torch.save_file(torch.load(path, weights_only=True), "
                + "\"model.safetensors\")` in an environment you trust."
        case .writeFailed(let path, let reason):
            return "\(path): could not write (\(reason)); nothing was left at this path. Check "
                + "free space and permissions."
        case .invalidTensorName(let path, let tensor):
            return "\(path): '\(tensor)' cannot be a tensor name (empty, or the reserved "
                + "\"__metadata__\"). Rename the tensor."
        case .missingFile(let path, let expected):
            return "\(path): \(expected) not found. Point at a Hugging Face folder as "
                + "`save_pretrained` writes it."
        case .malformedJSON(let path, let reason):
            return "\(path): not valid JSON of the expected form (\(reason)). Fix or regenerate "
                + "the file."
        case .malformedIndex(let path, let reason):
            return "\(path): invalid sharded-checkpoint index (\(reason)). Regenerate it with "
                + "`save_pretrained`."
        case .duplicateTensor(let path, let tensor, let otherPath):
            return "\(path): tensor '\(tensor)' is also stored in \(otherPath); a tensor must "
                + "live in exactly one shard. Regenerate the checkpoint."
        case .invalidAdapterConfiguration(let path, let field, let reason):
            return "\(path): \"\(field)\" \(reason). Fix adapter_config.json (peft "
                + "`LoraConfig` fields)."
        case .unsupportedAdapterFeature(let path, let field, let value):
            return "\(path): \"\(field)\": \(value) is not supported (plain LoRA only: no DoRA, "
                + "rsLoRA, rank/alpha patterns, modules_to_save, biases or other variants). "
                + "Retrain the adapter without it, or merge it into the base weights with peft "
                + "`merge_and_unload()`."
        case .unknownTargetModule(let path, let module):
            return "\(path): target module '\(module)' is not a Llama projection (q_proj, "
                + "k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj). Retrain the adapter "
                + "on those modules."
        case .unexpectedAdapterTensor(let path, let tensor, let reason):
            return "\(path): tensor '\(tensor)': \(reason). Adapter tensors must be named like "
                + "`base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight`."
        case .adapterTargetNotConfigured(let path, let tensor, let module, let targets):
            return "\(path): tensor '\(tensor)' adapts '\(module)', which the configuration "
                + "does not target (\(targets)). Fix target_modules/layers_to_transform in "
                + "adapter_config.json or remove the tensor."
        case .adapterRankMismatch(let path, let tensor, let rank, let shape):
            return "\(path): tensor '\(tensor)' has shape \(shape), but r = \(rank) requires "
                + "lora_A [\(rank), in] and lora_B [out, \(rank)]. Fix \"r\" in "
                + "adapter_config.json or use the matching adapter weights."
        case .adapterShapeMismatch(let path, let tensor, let shape, let expected, let baseWeight):
            return "\(path): tensor '\(tensor)' has shape \(shape) but base weight "
                + "'\(baseWeight)' needs \(expected); the adapter was trained on a different "
                + "base model. Check base_model_name_or_path."
        }
    }
}
