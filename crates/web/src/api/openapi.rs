//! The OpenAPI 3.1 description of `/api/v1`, built from the route table (`routes::ROUTES`).

use serde_json::{Value, json};

/// The query parameters of each route: (name, JSON schema, required). The server parses exactly
/// these; an unknown one is ignored, a value of the wrong type is a 400 problem.
fn query_parameters(path: &str, method: &str) -> Vec<(&'static str, Value, bool)> {
    let int = || json!({"type": "integer", "minimum": 1, "maximum": i64::MAX});
    let page = || {
        vec![
            ("page", json!({"type": "integer", "minimum": 1, "maximum": super::MAX_PAGE}), false),
            ("per_page", json!({"type": "integer", "minimum": 1, "maximum": super::MAX_PER_PAGE}), false),
        ]
    };
    // Lists paged by key: a page number reaches the first 10,000 rows; beyond, `next`/`prev`.
    let keyset = || {
        vec![
            ("after", json!({"type": "string", "description": "trang bắt đầu sau vị trí này (next của trang trước)"}), false),
            ("before", json!({"type": "string", "description": "trang kết thúc trước vị trí này (prev của trang sau)"}), false),
            ("last", json!({"type": "boolean", "description": "trang cuối của danh sách"}), false),
        ]
    };
    let year = || json!({"type": "integer", "minimum": super::YEARS_OF_DATA.start(), "maximum": super::YEARS_OF_DATA.end()});
    let text = || json!({"type": "string"});
    let date = || json!({"type": "string", "format": "date", "description": "YYYY-MM-DD (dd/mm/yyyy cũng được nhận); lịch tính cho các năm 2000–2060"});
    let mut out = match (method, path) {
        ("get", "/api/v1/households") => [vec![("unit", int(), false), ("q", text(), false)], keyset()].concat(),
        ("get", "/api/v1/clans") => vec![("unit", int(), false), ("q", text(), false)],
        ("get", "/api/v1/people") => [
            vec![
                ("unit", int(), false),
                ("household", int(), false),
                ("q", text(), false),
                ("sort", json!({"type": "string", "enum": ["name", "code", "birth_year"]}), false),
            ],
            keyset(),
        ]
        .concat(),
        ("get", "/api/v1/audit") => {
            vec![("actor", text(), false), ("entity", text(), false), ("entity_id", text(), false), ("action", text(), false)]
        }
        ("get", "/api/v1/titles/coverage") => vec![("year", year(), true), ("unit", int(), false)],
        ("get", "/api/v1/assessments") => vec![
            ("title", text(), true),
            ("year", year(), false),
            ("unit", int(), false),
            ("stage", json!({"type": "string", "enum": ["verified", "self"]}), false),
            ("passed", json!({"type": "boolean"}), false),
            ("decided", json!({"type": "boolean"}), false),
        ],
        ("post", "/api/v1/import/{kind}") => vec![("dry_run", json!({"type": "boolean"}), false), ("file_name", text(), false)],
        ("post", "/api/v1/assessments/import") => vec![
            ("set", int(), false),
            ("year", year(), false),
            ("stage", json!({"type": "string", "enum": ["verified", "self"]}), false),
            ("dry_run", json!({"type": "boolean"}), false),
            ("file_name", text(), false),
        ],
        ("get", "/api/v1/calendar/add") | ("get", "/api/v1/calendar/sub") => {
            vec![("date", date(), true), ("n", json!({"type": "integer", "minimum": 0, "maximum": u32::MAX}), true)]
        }
        ("get", "/api/v1/calendar/lunar") => vec![("date", date(), true)],
        _ => vec![],
    };
    if matches!(
        (method, path),
        ("get", "/api/v1/households" | "/api/v1/people" | "/api/v1/clans" | "/api/v1/audit" | "/api/v1/assessments")
    ) {
        out.extend(page());
    }
    out
}

fn schemas() -> Value {
    let s = |props: Value, required: Value| json!({"type": "object", "properties": props, "required": required});
    // A code: letters, digits and - _ . / (domain::registry::Code), at most 40.
    let code = || json!({"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_./-]{0,39}$"});
    // A name: at least one visible character, at most `max` (domain::limits).
    let name = |max: usize| json!({"type": "string", "minLength": 1, "maxLength": max, "pattern": "\\S"});
    let successions = json!({"type": "array", "description": "one unit with whole = true took it whole; several with whole = false each took a part",
                             "items": {"type": "object", "required": ["to", "whole"], "properties": {"to": {"type": "integer"}, "whole": {"type": "boolean"}}}});
    let unit = s(
        json!({"id": {"type": "integer"}, "code": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string"},
               "parent_id": {"type": ["integer", "null"]}, "location_id": {"type": ["integer", "null"]},
               "valid_from": {"type": ["string", "null"], "format": "date"}, "valid_to": {"type": ["string", "null"], "format": "date"},
               "successors": successions.clone(),
               "earlier_parents": {"type": "array", "description": "the parents it had before parent_id, each up to a last day",
                                   "items": {"type": "object", "required": ["parent", "until"],
                                             "properties": {"parent": {"type": "integer"}, "until": {"type": "string", "format": "date"}}}},
               "active": {"type": "boolean"}, "version": {"type": "integer"}}),
        json!(["id", "code", "name", "kind", "active", "version"]),
    );
    let household = s(
        json!({"id": {"type": "integer"}, "code": {"type": "string"}, "unit_id": {"type": "integer"}, "head_name": {"type": "string"},
               "head_birth_year": {"type": ["integer", "null"]}, "head_gender": {"type": ["string", "null"], "enum": ["male", "female", "other", null]},
               "address": {"type": ["string", "null"]}, "member_count": {"type": ["integer", "null"]}, "active": {"type": "boolean"}, "version": {"type": "integer"}}),
        json!(["id", "code", "unit_id", "head_name", "active", "version"]),
    );
    let person = s(
        json!({"id": {"type": "integer"}, "code": {"type": "string"}, "full_name": {"type": "string"}, "birth_year": {"type": ["integer", "null"]},
               "gender": {"type": ["string", "null"], "enum": ["male", "female", "other", null]}, "unit_id": {"type": "integer"},
               "household_id": {"type": ["integer", "null"]}, "position": {"type": ["string", "null"]}, "active": {"type": "boolean"}, "version": {"type": "integer"}}),
        json!(["id", "code", "full_name", "unit_id", "active", "version"]),
    );
    let audit = s(
        json!({"seq": {"type": "integer"}, "at_ms": {"type": "integer"}, "actor": {"type": "string"}, "on_behalf_of": {"type": ["string", "null"]},
               "action": {"type": "string"}, "entity": {"type": "string"}, "entity_id": {"type": "string"}, "unit_id": {"type": ["integer", "null"]},
               "old": {"type": ["string", "null"]}, "new": {"type": ["string", "null"]}, "prev_hash": {"type": "string"}, "hash": {"type": "string"},
               "sealing": {"type": "integer", "enum": [1, 2]}, "old_digest": {"type": ["string", "null"]},
               "new_digest": {"type": ["string", "null"]}, "erased_by": {"type": ["integer", "null"]}}),
        json!(["seq", "at_ms", "actor", "action", "entity", "entity_id", "prev_hash", "hash", "sealing"]),
    );
    let page = |item: &str| {
        json!({"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": format!("#/components/schemas/{item}")}},
               "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
               "total_at_least": {"type": "boolean", "description": "total là số tối thiểu: danh sách có tìm kiếm chỉ đếm tới 10.000 dòng"},
               "next": {"type": ["string", "null"], "description": "vị trí trang sau: gửi lại làm tham số after"},
               "prev": {"type": ["string", "null"], "description": "vị trí trang trước: gửi lại làm tham số before"}},
               "required": ["items", "total", "page", "per_page", "total_at_least", "next", "prev"]})
    };
    let mut all = json!({
        "Unit": unit,
        "UnitList": {"type": "array", "items": {"$ref": "#/components/schemas/Unit"}},
        "UnitInput": s(json!({"code": code(), "name": name(300), "kind": {"type": "string", "enum": thidua_domain::registry::NodeKind::ALL.map(|k| k.code())}, "parent_id": {"type": "integer"},
                              "location_id": {"type": ["integer", "null"]}, "valid_from": {"type": ["string", "null"], "description": "dd/mm/yyyy"},
                              "valid_to": {"type": ["string", "null"], "description": "dd/mm/yyyy"}, "successors": successions,
                              "successor_id": {"type": ["integer", "null"], "deprecated": true, "description": "the one unit that took it whole; use successors"}, "version": {"type": "integer"}}),
                       json!(["code", "name", "kind", "parent_id"])),
        "Household": household,
        "HouseholdPage": page("Household"),
        "HouseholdInput": s(json!({"code": code(), "unit_id": {"type": "integer"}, "head_name": name(120), "address": {"type": ["string", "null"], "maxLength": 300},
                                   "member_count": {"type": ["integer", "null"], "minimum": 1, "maximum": 50}, "version": {"type": "integer"}}), json!(["code", "unit_id", "head_name"])),
        "Person": person,
        "PersonPage": page("Person"),
        "PersonInput": s(json!({"code": code(), "full_name": name(120), "birth_year": {"type": ["integer", "null"], "minimum": 1900, "maximum": 2030},
                                "gender": {"type": ["string", "null"], "enum": ["male", "female", "other", null]},
                                "unit_id": {"type": "integer"}, "household_id": {"type": ["integer", "null"]}, "position": {"type": ["string", "null"], "maxLength": 200}, "version": {"type": "integer"}}),
                         json!(["code", "full_name", "unit_id"])),
        "Clan": s(json!({"id": {"type": "integer"}, "code": {"type": "string"}, "name": {"type": "string"}, "unit_id": {"type": "integer"},
                         "representative_name": {"type": ["string", "null"]}, "villages": {"type": "array", "items": {"type": "integer"}},
                         "active": {"type": "boolean"}, "version": {"type": "integer"}}), json!(["id", "code", "name", "unit_id", "villages", "active", "version"])),
        "ClanPage": page("Clan"),
        "AuditEntry": audit,
        "AuditPage": page("AuditEntry"),
        "Created": s(json!({"id": {"type": "integer"}}), json!(["id"])),
        "Me": s(json!({"id": {"type": "integer"}, "username": {"type": "string"}, "full_name": {"type": "string"}, "home_unit": {"type": "integer"}, "roles": {"type": "array"}}),
                json!(["id", "username"])),
        "ImportReport": s(json!({"kind": {"type": "string"}, "encoding": {"type": "string"}, "rows": {"type": "integer"}, "created": {"type": "integer"}, "dry_run": {"type": "boolean"}}),
                          json!(["kind", "rows", "created", "dry_run"])),
        "Coverage": s(json!({"year": {"type": "integer"}, "titles": {"type": "array"}, "total": {"type": "object"}, "rows": {"type": "array",
                              "description": "một dòng mỗi đơn vị trực thuộc: unit, cells (eligible, assessed, passed, recognised theo thứ tự titles), has_children"}}),
                      json!(["year", "titles", "total", "rows"])),
        "Assessment": s(json!({"record": {"type": "object", "description": "id, input (title, subject_id, year, stage, unit_id, level, criteria_set, answers, points, passed, note, assessor), decision_id, certificate, version"},
                                "subject_code": {"type": "string"}, "subject_name": {"type": "string"}, "unit_name": {"type": "string"}}),
                        json!(["record", "subject_code", "subject_name", "unit_name"])),
        "AssessmentPage": page("Assessment"),
        "AssessmentImportReport": s(json!({"rows": {"type": "integer"}, "passed": {"type": "integer"}, "written": {"type": "integer"}, "dry_run": {"type": "boolean"}}),
                                    json!(["rows", "passed", "written", "dry_run"])),
        "Decision": s(json!({"decision": {"type": "object", "description": "id, number, signed_on, signer, signer_title, issuing_unit, issuing_body, title, level, year, criteria_set, subjects"},
                             "unit": {"$ref": "#/components/schemas/Unit"}, "title_label": {"type": "string"},
                             "items": {"type": "array", "items": {"$ref": "#/components/schemas/Assessment"}}}), json!(["decision", "unit", "title_label", "items"])),
        "Problem": s(json!({"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"},
                            "errors": {"type": "array", "items": {"type": "object", "properties": {"row": {"type": "integer"}, "column": {"type": "string"}, "reason": {"type": "string"}}}}}),
                     json!(["title", "status"])),
    });
    if let Value::Object(m) = &mut all {
        m.extend(calendar_schemas());
    }
    all
}

/// The working-day calendar's schemas (kept apart: one `json!` may only nest so deep).
fn calendar_schemas() -> serde_json::Map<String, Value> {
    let s = |props: Value, required: Value| json!({"type": "object", "properties": props, "required": required});
    let v = json!({
        "CalendarYear": s(json!({"year": {"type": "integer"}, "table": {"type": "boolean", "description": "năm đã có thông báo (tệp kèm phần mềm hoặc quản trị viên nhập)"},
                                 "verified": {"type": "boolean"}, "basis": {"type": "string"}, "version": {"type": ["integer", "null"]},
                                 "holidays": {"type": "array", "items": {"type": "object", "properties": {"date": {"type": "string", "format": "date"},
                                     "name": {"type": "string"}, "in_lieu": {"type": "boolean"}, "provisional": {"type": "boolean"}}}}}),
                          json!(["year", "table", "verified", "basis", "holidays"])),
        "CalendarTable": s(json!({"verified": {"type": "boolean"}, "basis": {"type": "string", "minLength": 1, "pattern": "\\S"},
                                  "tet": {"type": "array", "items": {"type": "string", "description": "dd/mm/yyyy"}},
                                  "national_day_adjacent": {"type": ["string", "null"]},
                                  "holidays": {"type": "array", "items": {"type": "object", "properties": {"date": {"type": "string"}, "name": {"type": "string"}}}},
                                  "days_off": {"type": "array", "items": {"type": "object", "properties": {"from": {"type": "string"}, "to": {"type": "string"}, "name": {"type": "string"}}}},
                                  "working_days": {"type": "array", "items": {"type": "object", "properties": {"date": {"type": "string"}, "name": {"type": "string"}}}},
                                  "version": {"type": ["integer", "null"], "description": "phiên bản đã lưu mà bản sửa dựa vào; null khi năm chưa được lưu"}}),
                           json!(["verified", "basis"])),
        "Saved": s(json!({"version": {"type": "integer"}}), json!(["version"])),
        "CalendarDate": s(json!({"date": {"type": "string", "format": "date"}}), json!(["date"])),
        "LunarDate": s(json!({"day": {"type": "integer"}, "month": {"type": "integer"}, "year": {"type": "integer"}, "leap": {"type": "boolean"},
                              "text": {"type": "string", "description": "D/M/YYYY, thêm «nhuận» khi là tháng nhuận"}}),
                       json!(["day", "month", "year", "leap", "text"])),
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

/// The OpenAPI document.
pub fn document() -> Value {
    let mut paths = serde_json::Map::new();
    for route in crate::routes::ROUTES {
        let Some(crate::routes::ApiDoc { summary, body, response }) = route.api else { continue };
        let (method, path) = (route.method.to_lowercase(), route.path);
        let mut op = json!({
            "summary": summary,
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{response}")}}}},
                "default": {"description": "Lỗi (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            }
        });
        let mut params: Vec<Value> = path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| match name {
                "kind" => json!({"name": name, "in": "path", "required": true, "schema": {"type": "string", "enum": ["units", "households", "people"]}}),
                "year" => json!({"name": name, "in": "path", "required": true, "schema": {"type": "integer", "minimum": 2000, "maximum": 2060}}),
                _ => json!({"name": name, "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1, "maximum": i64::MAX}}),
            })
            .collect();
        params.extend(
            query_parameters(path, &method)
                .into_iter()
                .map(|(name, schema, required)| json!({"name": name, "in": "query", "required": required, "schema": schema})),
        );
        if !params.is_empty() {
            op["parameters"] = Value::Array(params);
        }
        match body {
            "" => {}
            "File" => {
                op["requestBody"] = json!({"required": true, "content": {
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
                    "text/csv": {"schema": {"type": "string"}}}});
            }
            b => {
                op["requestBody"] =
                    json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{b}")}}}});
            }
        }
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[method.as_str()] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "thidua API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "API của hệ thống quản lý Phong trào thi đua xây dựng xã hội học tập Hà Nội. Xác thực bằng mã truy cập (Authorization: Bearer …) hoặc phiên đăng nhập kèm tiêu đề X-CSRF-Token. Mã truy cập có hạn (tối đa 365 ngày), chỉ đọc trừ khi được tạo với quyền ghi (mã chỉ đọc gửi POST/PUT nhận 403), và có thể giới hạn trong một đơn vị cùng các đơn vị trực thuộc."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {"schemas": schemas(), "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}
    })
}
