//! Loading Lean's OpenAPI exports and turning their response schemas into JSON Schema.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Map, Value};

/// What an export documents for one response status.
pub enum Documented {
    /// A JSON Schema (2020-12), self-contained: components are inlined under `$defs`.
    Schema(Value),
    /// No schema, only JSON examples: the body is compared with their shape.
    Examples(Vec<Value>),
    /// The status is listed without a JSON body.
    Nothing,
}

pub struct Operation {
    pub export: String,
    pub method: String,
    pub path: String,
    pub responses: BTreeMap<String, Documented>,
}

/// Every operation of every `*.yml` export in `dir`, sorted by export, path and method.
pub fn load(dir: &Path) -> Vec<Operation> {
    assert!(
        dir.is_dir(),
        "Lean's OpenAPI exports are missing: {} does not exist. LEAN_EXPORTS_DIR must name the folder \
         that holds Lean's openapi/*.yml and webhooks/*.json.",
        dir.display()
    );
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no OpenAPI exports (*.yml) in {}", dir.display());
    let mut ops = Vec::new();
    for file in files {
        let export = file.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&file).unwrap();
        let yaml: serde_yaml::Value =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{export} is not YAML: {e}"));
        let doc: Value = serde_json::to_value(yaml).unwrap_or_else(|e| panic!("{export}: {e}"));
        let defs = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), convert(v))).collect::<Map<_, _>>())
            .unwrap_or_default();
        let Some(paths) = doc["paths"].as_object() else { continue };
        for (path, item) in paths {
            let Some(item) = item.as_object() else { continue };
            for (method, op) in item {
                if !["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                    continue;
                }
                let mut responses = BTreeMap::new();
                for (status, resp) in op["responses"].as_object().into_iter().flatten() {
                    let resp = deref(&doc, resp);
                    responses.insert(status.clone(), documented(&doc, &defs, resp));
                }
                ops.push(Operation {
                    export: export.clone(),
                    method: method.to_uppercase(),
                    path: path.clone(),
                    responses,
                });
            }
        }
    }
    ops
}

/// Follows a local `$ref` (responses, examples) within the same document.
fn deref<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let ptr = r.strip_prefix('#').unwrap_or_else(|| panic!("non-local $ref {r}"));
            deref(doc, doc.pointer(ptr).unwrap_or_else(|| panic!("dangling $ref {r}")))
        }
        None => v,
    }
}

fn documented(doc: &Value, defs: &Map<String, Value>, resp: &Value) -> Documented {
    let Some(content) = resp["content"].as_object() else { return Documented::Nothing };
    let Some((_, media)) = content.iter().find(|(k, _)| k.contains("json") || k.as_str() == "*/*") else {
        return Documented::Nothing;
    };
    if let Some(schema) = media.get("schema") {
        let mut root = match convert(schema) {
            Value::Object(m) => m,
            other => {
                let mut m = Map::new();
                m.insert("allOf".into(), json!([other]));
                m
            }
        };
        root.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
        root.insert("$defs".into(), Value::Object(defs.clone()));
        return Documented::Schema(Value::Object(root));
    }
    let mut examples = Vec::new();
    if let Some(e) = media.get("example") {
        examples.push(e.clone());
    }
    for e in media["examples"].as_object().into_iter().flat_map(|m| m.values()) {
        let e = deref(doc, e);
        if let Some(v) = e.get("value") {
            examples.push(v.clone());
        }
    }
    if examples.is_empty() {
        Documented::Nothing
    } else {
        Documented::Examples(examples)
    }
}

/// OpenAPI schema object (3.0 or 3.1) → JSON Schema 2020-12.
///
/// `#/components/schemas/X` becomes `#/$defs/X`; `nullable: true` adds `null` to `type` (and to
/// `enum`); OpenAPI-only and vendor keywords are dropped; 3.0's boolean `exclusiveMinimum` /
/// `exclusiveMaximum` become numbers. Any other `$ref` is refused: nothing is fetched.
pub fn convert(node: &Value) -> Value {
    let Some(obj) = node.as_object() else { return node.clone() };
    let mut out = Map::new();
    for (k, v) in obj {
        match k.as_str() {
            "$ref" => {
                let r = v.as_str().unwrap_or_default();
                let local = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| {
                    panic!("unsupported $ref {r}: only #/components/schemas/* is resolved")
                });
                out.insert(k.clone(), json!(format!("#/$defs/{local}")));
            }
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                let m = v.as_object().map(|m| m.iter().map(|(n, s)| (n.clone(), convert(s))).collect());
                out.insert(k.clone(), m.map(Value::Object).unwrap_or_else(|| v.clone()));
            }
            "items"
            | "additionalProperties"
            | "not"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "unevaluatedProperties"
            | "unevaluatedItems" => {
                out.insert(k.clone(), convert(v));
            }
            "allOf" | "anyOf" | "oneOf" | "prefixItems" => {
                let a = v.as_array().map(|a| a.iter().map(convert).collect());
                out.insert(k.clone(), a.map(Value::Array).unwrap_or_else(|| v.clone()));
            }
            "nullable" | "example" | "examples" | "discriminator" | "xml" | "externalDocs" => {}
            "exclusiveMinimum" | "exclusiveMaximum" if v.is_boolean() => {
                let bound = if k == "exclusiveMinimum" { "minimum" } else { "maximum" };
                if v == &Value::Bool(true) {
                    if let Some(b) = obj.get(bound) {
                        out.insert(k.clone(), b.clone());
                    }
                }
            }
            _ if k.starts_with("x-") => {}
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    // `exclusiveMinimum: true` replaced `minimum`; keep only the exclusive bound.
    for (ex, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if obj.get(ex) == Some(&Value::Bool(true)) {
            out.remove(bound);
        }
    }
    if obj.get("nullable") == Some(&Value::Bool(true)) {
        let mut typed = false;
        match out.get_mut("type") {
            Some(Value::String(t)) => {
                let t = t.clone();
                out.insert("type".into(), json!([t, "null"]));
                typed = true;
            }
            Some(Value::Array(ts)) => {
                if !ts.contains(&json!("null")) {
                    ts.push(json!("null"));
                }
                typed = true;
            }
            _ => {}
        }
        if let Some(Value::Array(e)) = out.get_mut("enum") {
            if !e.contains(&Value::Null) {
                e.push(Value::Null);
            }
        }
        if !typed {
            return json!({"anyOf": [Value::Object(out), {"type": "null"}]});
        }
    }
    Value::Object(out)
}

/// Compiles a converted schema. Remote references are never retrieved.
pub fn compile(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .offline()
        .build(schema)
        .map_err(|e| e.to_string())
}

/// One validation error: the instance path with array indexes replaced by `*`, and the message.
pub fn errors(v: &jsonschema::Validator, body: &Value) -> Vec<(String, String)> {
    v.iter_errors(body).map(|e| (normalise(&e.instance_path().to_string()), e.to_string())).collect()
}

/// `/data/accounts/0/iban` → `/data/accounts/*/iban`.
pub fn normalise(p: &str) -> String {
    p.split('/')
        .map(|s| if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) { "*" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// Differences in keys and JSON types between `actual` and `sample`, as (path, what).
/// Objects must have the same keys; arrays are compared by their first element; a `null` in the
/// sample matches anything; integers and floats are both numbers.
pub fn shape_diff(sample: &Value, actual: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match (sample, actual) {
        (Value::Null, _) => {}
        (Value::Object(s), Value::Object(a)) => {
            for k in s.keys().filter(|k| !a.contains_key(*k)) {
                out.push((format!("{path}/{k}"), "missing (the sample has it)".into()));
            }
            for k in a.keys().filter(|k| !s.contains_key(*k)) {
                out.push((format!("{path}/{k}"), "extra (not in the sample)".into()));
            }
            for (k, sv) in s {
                if let Some(av) = a.get(k) {
                    shape_diff(sv, av, &format!("{path}/{k}"), out);
                }
            }
        }
        (Value::Array(s), Value::Array(a)) => {
            if let (Some(s0), Some(a0)) = (s.first(), a.first()) {
                shape_diff(s0, a0, &format!("{path}/*"), out);
            }
        }
        (Value::Number(_), Value::Number(_))
        | (Value::String(_), Value::String(_))
        | (Value::Bool(_), Value::Bool(_)) => {}
        (s, a) => out.push((path.to_string(), format!("type {} (the sample has {})", kind(a), kind(s)))),
    }
}

pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
