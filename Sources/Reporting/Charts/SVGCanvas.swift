/// A small builder of inline SVG: shapes in user units, every number through
/// ``NumberFormatting/coordinate(_:)`` and every text through ``Escaping/html(_:)``, so the
/// output is deterministic and safe to inline in HTML.
struct SVGCanvas {
    let width: Double
    let height: Double
    private(set) var body = ""

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    private func n(_ value: Double) -> String { NumberFormatting.coordinate(value) }

    private func titled(_ title: String?) -> String {
        title.map { "<title>\(Escaping.html($0))</title>" } ?? ""
    }

    mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String,
        stroke: String? = nil, title: String? = nil
    ) {
        let strokeAttribute = stroke.map { " stroke=\"\($0)\"" } ?? ""
        let open =
            "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(height))\""
            + " fill=\"\(fill)\"\(strokeAttribute)"
        body += title == nil ? open + "/>\n" : open + ">\(titled(title))</rect>\n"
    }

    mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
        dashed: Bool = false
    ) {
        let dash = dashed ? " stroke-dasharray=\"4 3\"" : ""
        body +=
            "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" "
            + "stroke=\"\(stroke)\" stroke-width=\"\(n(width))\"\(dash)/>\n"
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5) {
        guard !points.isEmpty else { return }
        let list = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        body +=
            "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" "
            + "stroke-width=\"\(n(width))\" stroke-linejoin=\"round\"/>\n"
    }

    mutating func circle(cx: Double, cy: Double, r: Double, fill: String, title: String? = nil) {
        let open = "<circle cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"\(n(r))\" fill=\"\(fill)\""
        body += title == nil ? open + "/>\n" : open + ">\(titled(title))</circle>\n"
    }

    /// Text at `(x, y)` (baseline); `anchor` is `start`, `middle` or `end`; `rotate` in degrees.
    mutating func text(
        _ string: String, x: Double, y: Double, size: Double = 11, anchor: String = "start",
        fill: String = "#222", bold: Bool = false, rotate: Double? = nil
    ) {
        let weight = bold ? " font-weight=\"bold\"" : ""
        let transform =
            rotate.map {
                " transform=\"rotate(\(n($0)) \(n(x)) \(n(y)))\""
            } ?? ""
        body +=
            "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" "
            + "text-anchor=\"\(anchor)\" fill=\"\(fill)\"\(weight)\(transform)>"
            + "\(Escaping.html(string))</text>\n"
    }

    /// The finished `<svg>` element with an accessible title.
    func render(title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" "
            + "width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" "
            + "font-family=\"system-ui, sans-serif\">\n<title>\(Escaping.html(title))</title>\n"
            + body + "</svg>\n"
    }
}
