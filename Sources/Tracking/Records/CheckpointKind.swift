/// What a checkpoint holds: `base` a pretrained model folder, `full` a fully fine-tuned model
/// folder, `lora` a PEFT LoRA adapter folder (applied on top of its parent).
public enum CheckpointKind: String, Codable, Sendable, CaseIterable {
    case base
    case full
    case lora
}
