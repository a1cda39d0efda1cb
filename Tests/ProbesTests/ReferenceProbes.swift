import Foundation
import TestSupport

/// The lm-eval reference files in `../shared/reference/probes/` (see its README).
struct ReferenceProbeFile: Decodable {
    struct Item: Decodable {
        var doc_id: Int
        var context: String?
        var choices: [String]?
        var loglik: LogLikelihood?
        var is_greedy: [Bool]?
        var gold: Int?
        var acc: Int?
        var acc_norm: Int?
        var pred: Int?
        var pred_norm: Int?
        var continuation_token_ids: [[Int]]?
        var text: String?
        var words: Int?
        var bytes: Int?
        var tokens: Int?
        var prompt: String?
        var prediction: String?
        var reference: String?
        var rouge1: Double?
        var rouge2: Double?
        var rougeL: Double?
        var rougeLsum: Double?
        var greedy_token_ids: [Int]?
        var flip_eps_acc_norm: Double?
        var flip_eps_acc: Double?
    }
    /// Per choice (multiple choice) or per document (rolling).
    enum LogLikelihood: Decodable {
        case one(Double)
        case many([Double])
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let d = try? c.decode(Double.self) {
                self = .one(d)
            } else {
                self = .many(try c.decode([Double].self))
            }
        }
        var values: [Double] {
            switch self {
            case .one(let d): return [d]
            case .many(let l): return l
            }
        }
    }
    var results: [String: Double]
    var stderr: [String: Double?]
    var items: [Item]

    static func load(_ task: String) throws -> ReferenceProbeFile {
        let url = Fixtures.shared("reference/probes/\(task).stories260K.json")
        return try JSONDecoder().decode(ReferenceProbeFile.self, from: Data(contentsOf: url))
    }

    static func taskFile(_ task: String) -> URL {
        Fixtures.shared("reference/probes/tasks/\(task).yaml")
    }
}
