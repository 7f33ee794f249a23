/// The outcome of reading one field: its value, or the error code the caller throws with its own context (file
/// line, XML path).
///
/// Why not `Result`: its failure must conform to `Error`, and ``StatementParseError/Code`` is deliberately not an
/// error by itself — it means nothing without the place it was found.
enum FieldResult<Value> {
    case success(Value)
    case failure(StatementParseError.Code)
}
