//! `thidua demo --scale hanoi`: a synthetic city at Hanoi's scale for the benchmarks — the real
//! 126 wards and communes and the 556 units before them (`registry/ha-noi-2025.csv`), about
//! 4,000 synthetic villages and residential groups (each recorded under one of its ward's former
//! units and moved to the ward from 01/07/2025, as the city does), 2.5 million households,
//! 6 million citizens, 25,000 clans, 3,000 schools, community learning centres, enterprises and
//! the city's agencies, with one year of assessments for every title and the wards' recognition
//! decisions.
//!
//! Everything goes through the real paths a ward uses: the registry arrives as one CSV file
//! per ward through `import households` / `import people`, assessments as one filled sheet per
//! ward and title through the bulk assessment import, clans one by one, decisions through the
//! decision use case. Names, birth years and outcomes come from a fixed-seed generator, so two
//! runs build the same city.

use crate::demo::{FAMILY, GIVEN_F, GIVEN_M, Lcg, MIDDLE_F, MIDDLE_M};
use std::io::Write;
use std::path::Path;
use std::time::Instant;
use thidua_app::import::FileInfo;
use thidua_app::titles::{DecisionForm, LoadedSet, SheetTarget};
use thidua_app::{Actor, App};
use thidua_domain::access::Role;
use thidua_domain::criteria::IndicatorKind;
use thidua_domain::import::{ImportKind, Table};
use thidua_domain::titles::{Stage, Subject};

/// The size of the generated city.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    pub wards: usize,
    pub villages: usize,
    pub households: usize,
    pub people: usize,
    pub clans: usize,
    pub schools: usize,
    /// The year assessed and recognised.
    pub year: i64,
}

impl Scale {
    /// Hanoi after the 2025 reorganisation: 126 wards and communes (51 phường, 75 xã).
    pub const HANOI: Scale =
        Scale { wards: 126, villages: 4_000, households: 2_500_000, people: 6_000_000, clans: 25_000, schools: 3_000, year: 2025 };

    /// `hanoi`, or `hanoi/N` for one N-th of it (at least two wards, one village per ward).
    pub fn parse(s: &str) -> Option<Scale> {
        let (name, div) = match s.split_once('/') {
            Some((n, d)) => (n, d.trim().parse::<usize>().ok().filter(|d| *d > 0)?),
            None => (s, 1),
        };
        if name.trim() != "hanoi" {
            return None;
        }
        let h = Scale::HANOI;
        let wards = (h.wards / div).max(2);
        Some(Scale {
            wards,
            villages: (h.villages / div).max(wards),
            households: (h.households / div).max(wards),
            people: (h.people / div).max(h.households / div).max(wards),
            clans: h.clans / div,
            schools: (h.schools / div).max(1),
            year: h.year,
        })
    }
}

/// What was generated, and how long each part took.
#[derive(Debug, Default)]
pub struct Generated {
    pub units: usize,
    pub households: usize,
    pub people: usize,
    pub clans: usize,
    pub assessments: usize,
    pub decisions: usize,
    pub seconds: f64,
}

/// Syllables of ward names; two of them make a name (Phường An Hòa, Xã Phú Thịnh …).
const PLACE: [&str; 24] = [
    "An",
    "Bình",
    "Hòa",
    "Phú",
    "Thịnh",
    "Đông",
    "Tây",
    "Hưng",
    "Long",
    "Xuân",
    "Thanh",
    "Minh",
    "Phúc",
    "Khánh",
    "Tân",
    "Vĩnh",
    "Quang",
    "Thượng",
    "Hạ",
    "Trung",
    "Mỹ",
    "Lạc",
    "Định",
    "Sơn",
];
const VILLAGE: [&str; 12] = ["Đông", "Đoài", "Nam", "Bắc", "Thượng", "Hạ", "Trung", "Cao", "Kim", "Ngọc", "Lai", "Vân"];
const SCHOOL: [&str; 5] = ["Trường Mầm non", "Trường Tiểu học", "Trường THCS", "Trường Tiểu học và THCS", "Trường THPT"];
const OCCUPATION: [&str; 8] = ["Giáo viên", "Công nhân", "Nông dân", "Học sinh", "Kỹ sư", "Buôn bán", "Hưu trí", "Bác sĩ"];

/// The city's wards and communes in force from 01/07/2025, in the shipped file's order (by
/// official code): (code, name, «Phường» or «Xã»), and the former units each took over.
struct Wards {
    list: Vec<(String, String, &'static str)>,
    predecessors: std::collections::HashMap<String, Vec<String>>,
}

impl Wards {
    fn shipped() -> Wards {
        let table = thidua_domain::hanoi::table();
        let mut list = Vec::new();
        let mut predecessors: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
        for r in &table.rows {
            let cell = |i: usize| r.get(i).map(String::as_str).unwrap_or_default();
            if cell(4) == "01/07/2025" {
                list.push((cell(0).to_string(), cell(1).to_string(), if cell(2) == "Phường" { "Phường" } else { "Xã" }));
            }
            for s in thidua_domain::registry::parse_successors(cell(6)).unwrap_or_default() {
                predecessors.entry(s.code.to_string()).or_default().push(cell(0).to_string());
            }
        }
        Wards { list, predecessors }
    }

    fn ward(&self, i: usize) -> (String, String, &'static str) {
        self.list[i % self.list.len()].clone()
    }

    /// The former unit village `j` of ward `code` was recorded under before 01/07/2025.
    fn former_parent(&self, code: &str, j: usize) -> String {
        match self.predecessors.get(code) {
            Some(p) if !p.is_empty() => p[j % p.len()].clone(),
            _ => code.to_string(),
        }
    }
}

/// `total` spread over `parts`: the share of part `i` (the first ones get one more).
fn share(total: usize, parts: usize, i: usize) -> usize {
    total / parts + usize::from(i < total % parts)
}

fn village_code(ward: &str, kind: &str, j: usize) -> String {
    format!("{ward}-{}{:02}", if kind == "Phường" { "TDP" } else { "THON" }, j + 1)
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|s| s.to_string()).collect()
}

/// The unit tree: the city, its agencies, the wards with their villages, schools, community
/// learning centres and enterprises.
fn units(scale: &Scale, wards: &Wards) -> Vec<Vec<String>> {
    let mut u = vec![row(&["HN", "Thành phố Hà Nội", "Thành phố", "", "", "", "", ""])];
    for (code, name, kind) in crate::demo::AGENCIES {
        u.push(row(&[code, name, kind, "HN", "", "", "", ""]));
    }
    // The real wards and communes, the districts and units before them, with their successions.
    u.extend(thidua_domain::hanoi::table().rows);
    let mut school = 0;
    for i in 0..scale.wards {
        let (code, name, kind) = wards.ward(i);
        for j in 0..share(scale.villages, scale.wards, i) {
            let (vkind, vname) = if kind == "Phường" {
                ("Tổ dân phố", format!("Tổ dân phố số {}", j + 1))
            } else {
                ("Thôn", format!("Thôn {} {}", VILLAGE[j % VILLAGE.len()], j / VILLAGE.len() + 1))
            };
            u.push(row(&[&village_code(&code, kind, j), &vname, vkind, &wards.former_parent(&code, j), "", "", "", ""]));
        }
        for k in 0..share(scale.schools, scale.wards, i) {
            school += 1;
            let level = SCHOOL[school % SCHOOL.len()];
            // Upper-secondary schools belong to the Department, the others to the ward.
            let parent = if level == "Trường THPT" { "SGDDT" } else { code.as_str() };
            u.push(row(&[
                &format!("{code}-TR{:02}", k + 1),
                &format!("{level} {} {}", PLACE[k % PLACE.len()], k + 1),
                "Cơ sở giáo dục",
                parent,
                "",
                "",
                "",
                &code,
            ]));
        }
        if kind == "Xã" {
            let centre = format!("Trung tâm học tập cộng đồng xã {}", name.trim_start_matches("Xã "));
            u.push(row(&[&format!("{code}-TTHTCD"), &centre, "Trung tâm học tập cộng đồng", &code, "", "", "", &code]));
        }
        u.push(row(&[
            &format!("{code}-DN01"),
            &format!("Công ty TNHH {} {}", PLACE[i % 24], PLACE[(i + 3) % 24]),
            "Doanh nghiệp",
            &code,
            "",
            "",
            "",
            &code,
        ]));
    }
    u
}

/// A person's name from the generator.
fn name(rng: &mut Lcg, family: &str, female: bool) -> String {
    if female {
        format!("{family} {} {}", MIDDLE_F[rng.next(MIDDLE_F.len())], GIVEN_F[rng.next(GIVEN_F.len())])
    } else {
        format!("{family} {} {}", MIDDLE_M[rng.next(MIDDLE_M.len())], GIVEN_M[rng.next(GIVEN_M.len())])
    }
}

/// One ward's registry as two CSV files (households, people) in the import templates' columns.
/// Returns the codes and names of the households and people written, for the assessment sheets.
struct WardFiles {
    households: Vec<(String, String, String)>,
    people: Vec<(String, String, String)>,
}

fn csv_line(w: &mut impl Write, cells: &[&str]) -> std::io::Result<()> {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        if c.contains([',', '"', '\n']) {
            write!(w, "\"{}\"", c.replace('"', "\"\""))?;
        } else {
            w.write_all(c.as_bytes())?;
        }
    }
    w.write_all(b"\n")
}

#[allow(clippy::too_many_arguments)]
fn write_ward_registry(
    dir: &Path,
    rng: &mut Lcg,
    scale: &Scale,
    (code, kind): (&str, &str),
    ward_index: usize,
    first_village: usize,
    first_household: usize,
) -> std::io::Result<WardFiles> {
    let headers = |k: ImportKind| k.columns().iter().map(|c| c.header).collect::<Vec<_>>();
    let mut hw = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(dir.join("households.csv"))?);
    let mut pw = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(dir.join("people.csv"))?);
    csv_line(&mut hw, &headers(ImportKind::Households))?;
    csv_line(&mut pw, &headers(ImportKind::People))?;
    let mut files = WardFiles { households: Vec::new(), people: Vec::new() };
    let mut global = first_household;
    for j in 0..share(scale.villages, scale.wards, ward_index) {
        let village = village_code(code, kind, j);
        for h in 0..share(scale.households, scale.villages, first_village + j) {
            // Members per household so that the city totals exactly `scale.people`.
            let members = (global + 1) * scale.people / scale.households - global * scale.people / scale.households;
            global += 1;
            let family = FAMILY[rng.next(FAMILY.len())];
            let head = name(rng, family, false);
            let year = 1945 + rng.next(55);
            let hcode = format!("HGD-{village}-{:04}", h + 1);
            let address = format!("Số {} ngõ {}", 1 + rng.next(200), 1 + rng.next(90));
            let (y, m) = (year.to_string(), members.max(1).to_string());
            csv_line(&mut hw, &[&hcode, &village, &head, &y, "Nam", &address, &m])?;
            for k in 0..members {
                let female = k == 1 || (k > 1 && rng.next(2) == 0);
                let (full, birth) = match k {
                    0 => (head.clone(), year),
                    1 => {
                        let maiden = FAMILY[rng.next(FAMILY.len())];
                        (name(rng, maiden, true), year + rng.next(6))
                    }
                    _ => (name(rng, family, female), (year + 22 + rng.next(15)).min(2018)),
                };
                let pcode = format!("CD-{}-{}", &hcode[4..], k + 1);
                let gender = if female { "Nữ" } else { "Nam" };
                let role = if k == 0 { "Chủ hộ" } else { OCCUPATION[rng.next(OCCUPATION.len())] };
                csv_line(&mut pw, &[&pcode, &full, &birth.to_string(), gender, &village, &hcode, role])?;
                files.people.push((pcode, full, village.clone()));
            }
            files.households.push((hcode, head, village.clone()));
        }
    }
    hw.flush()?;
    pw.flush()?;
    Ok(files)
}

/// Moves every generated village from the former unit it was recorded under to its ward, from
/// 01/07/2025 (one hand-over per former unit), before any household is imported.
async fn hand_over_villages(app: &App, actor: &Actor, scale: &Scale, wards: &Wards) -> Result<(), String> {
    let snap = app.snapshot().await.map_err(failed)?;
    let id = |code: &str| snap.by_code.get(code).copied().ok_or_else(|| format!("thiếu đơn vị {code}"));
    let mut by_former: std::collections::BTreeMap<String, Vec<(i64, i64, i64)>> = std::collections::BTreeMap::new();
    for i in 0..scale.wards {
        let (code, _, kind) = wards.ward(i);
        for j in 0..share(scale.villages, scale.wards, i) {
            let former = wards.former_parent(&code, j);
            if former == code {
                continue;
            }
            let village = id(&village_code(&code, kind, j))?;
            let version = snap.units.get(&village).map(|u| u.version).ok_or_else(|| format!("thiếu đơn vị {village}"))?;
            by_former.entry(former).or_default().push((village, version, id(&code)?));
        }
    }
    for (former, moves) in by_former {
        app.divide_unit(actor, id(&former)?, &moves).await.map_err(failed)?;
    }
    Ok(())
}

/// One filled cell: passing, or failing this indicator.
pub(crate) fn cell(kind: &IndicatorKind, pass: bool) -> String {
    match (kind, pass) {
        (IndicatorKind::PassFail, true) => "Đ".into(),
        (IndicatorKind::PassFail, false) => "K".into(),
        (IndicatorKind::Points { max_points }, true) => max_points.to_string(),
        (IndicatorKind::Points { .. }, false) => "0".into(),
        (IndicatorKind::Share { threshold, .. }, true) => format!("{}%", ((threshold + 100.0) / 2.0).ceil()),
        (IndicatorKind::Share { threshold, .. }, false) => format!("{}%", (threshold - 10.0).max(0.0).floor()),
    }
}

/// A filled assessment sheet in the template's columns, written row by row as CSV.
pub struct SheetWriter {
    w: std::io::BufWriter<std::fs::File>,
    passing: Vec<String>,
    /// The indicator a failing row fails (a mandatory one where the set has them), and its cell.
    failing: (usize, String),
    rows: usize,
}

impl SheetWriter {
    pub fn create(path: &Path, set: &LoadedSet) -> std::io::Result<SheetWriter> {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
        let headers = thidua_domain::assessment::sheet_headers(&set.set, set.subject());
        csv_line(&mut w, &headers.iter().map(String::as_str).collect::<Vec<_>>())?;
        let indicators: Vec<_> = set.set.indicators().collect();
        let failing = indicators.iter().position(|i| i.mandatory).unwrap_or(0);
        let fail_cell = indicators.get(failing).map(|i| cell(&i.kind, false)).unwrap_or_default();
        Ok(SheetWriter { w, passing: indicators.iter().map(|i| cell(&i.kind, true)).collect(), failing: (failing, fail_cell), rows: 0 })
    }

    /// One subject: every indicator met, or (`pass` false) one indicator failed.
    pub fn row(&mut self, code: &str, name: &str, place: &str, pass: bool) -> std::io::Result<()> {
        self.rows += 1;
        let n = self.rows.to_string();
        let mut cells: Vec<&str> = vec![&n, code, name, place];
        for (i, c) in self.passing.iter().enumerate() {
            cells.push(if !pass && i == self.failing.0 { &self.failing.1 } else { c });
        }
        cells.push("");
        csv_line(&mut self.w, &cells)
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

/// Writes a filled assessment sheet for `subjects` (code, name, place): about
/// `pass_per_mille` ‰ pass, the others fail one indicator.
pub fn write_sheet(
    path: &Path,
    set: &LoadedSet,
    subjects: &[(String, String, String)],
    rng: &mut Lcg,
    pass_per_mille: usize,
) -> std::io::Result<()> {
    let mut w = SheetWriter::create(path, set)?;
    for (code, name, place) in subjects {
        w.row(code, name, place, rng.next(1000) < pass_per_mille)?;
    }
    w.finish()
}

/// Seconds spent in each part of the generator: registry, clans, assessments, decisions.
struct Laps {
    spent: [f64; 4],
    since: Instant,
}

impl Laps {
    fn lap(&mut self, part: usize) {
        self.spent[part] += self.since.elapsed().as_secs_f64();
        self.since = Instant::now();
    }
}

fn failed(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The newest shipped set for a title (and level) that covers `year`.
async fn set_for(app: &App, title: &str, level: Option<i64>, year: i64) -> Result<LoadedSet, String> {
    let records = app.sets_for_year(year).await.map_err(failed)?;
    let record = records
        .iter()
        .filter(|r| r.title == title && (level.is_none() || r.level == level))
        .max_by_key(|r| r.version)
        .ok_or_else(|| format!("không có bộ tiêu chí {title} cho năm {year}"))?;
    app.load_set(record.id).await.map_err(failed)
}

async fn import_sheet(app: &App, actor: &Actor, path: &Path, set: &LoadedSet, year: i64) -> Result<usize, String> {
    let source = thidua_documents::CsvFile::open(path, usize::MAX).map_err(failed)?;
    let file = FileInfo { name: path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(), sha256: "generated".into() };
    let target = SheetTarget { criteria_set: set.record.id, year, stage: Stage::Verified };
    let r = app.import_assessments(actor, target, &source, &file, false).await.map_err(|e| format!("{}: {e:?}", path.display()))?;
    Ok(r.written)
}

async fn decide(app: &App, actor: &Actor, set: &LoadedSet, year: i64, unit: i64, number: String) -> Result<bool, String> {
    let form = DecisionForm {
        criteria_set: set.record.id,
        year,
        issuing_unit: unit,
        number,
        signed_on: time::Date::from_calendar_date(i32::try_from(year).map_err(failed)?, time::Month::December, 15).map_err(failed)?,
        signer: "Nguyễn Văn Bình".into(),
        signer_title: "Chủ tịch".into(),
        only: None,
    };
    match app.issue_decision(actor, form).await {
        Ok(_) => Ok(true),
        // Nobody passed in this unit: no decision.
        Err(thidua_app::AppError::Invalid(m)) if m.starts_with("không có hồ sơ") => Ok(false),
        Err(e) => Err(format!("{e:?}")),
    }
}

/// Generates the city into an empty database. Prints progress when `verbose`.
/// SQLite connections of the generator: it writes one ward after another, and each connection
/// runs on a thread of its own whose allocator arena keeps the pages that connection's imports
/// cached — with the server's 8, the generator's peak RSS was 378 MiB at `hanoi/10` (and at full
/// scale), with 2 it is 160 MiB, in the same time (BENCHMARKS.md, issue 19).
const GENERATOR_SQLITE_CONNECTIONS: u32 = 2;

/// The configuration the generator opens the database with.
pub fn generator_config(config: &crate::config::Config) -> crate::config::Config {
    let mut config = config.clone();
    if config.database_url.starts_with("sqlite:") {
        config.max_connections = config.max_connections.min(GENERATOR_SQLITE_CONNECTIONS);
    }
    config
}

pub async fn generate(app: &App, scale: &Scale, verbose: bool) -> Result<Generated, String> {
    if !crate::demo::is_empty(app).await.map_err(failed)? {
        return Err("cơ sở dữ liệu đã có dữ liệu; dữ liệu mô phỏng chỉ nạp vào cơ sở dữ liệu trống".into());
    }
    let start = Instant::now();
    let say = |s: String| {
        if verbose {
            println!("[{:>6.1} s] {s}", start.elapsed().as_secs_f64());
        }
    };
    // A folder of its own, removed when done: two generations in one process never share one.
    let dir = tempfile::Builder::new().prefix("thidua-scale-").tempdir().map_err(failed)?;
    let mut g = generate_in(app, scale, dir.path(), &say).await?;
    g.seconds = start.elapsed().as_secs_f64();
    say(format!(
        "xong: {} đơn vị, {} hộ, {} công dân, {} dòng họ, {} phiếu đánh giá, {} quyết định công nhận",
        g.units, g.households, g.people, g.clans, g.assessments, g.decisions
    ));
    Ok(g)
}

async fn generate_in(app: &App, scale: &Scale, dir: &Path, say: &dyn Fn(String)) -> Result<Generated, String> {
    let mut g = Generated::default();
    let year = scale.year;
    let actor = app.operator().await.map_err(failed)?;
    let unit_headers: Vec<String> = ImportKind::Units.headers();
    let wards = Wards::shipped();
    let table = Table { headers: unit_headers, rows: units(scale, &wards) };
    let file = FileInfo { name: "scale-units".into(), sha256: "generated".into() };
    g.units = app.import(&actor, ImportKind::Units, &table, &file, false, &|_| {}).await.map_err(failed)?.created;
    say(format!("{} đơn vị", g.units));
    let actor = app.operator().await.map_err(failed)?;
    hand_over_villages(app, &actor, scale, &wards).await?;
    let snap = app.snapshot().await.map_err(failed)?;
    let id = |code: &str| snap.by_code.get(code).copied().ok_or_else(|| format!("thiếu đơn vị {code}"));
    let (first_ward, first_name, _) = wards.ward(0);
    let officer = format!("Cán bộ UBND {first_name}");
    for (username, full, role, scope) in [
        ("admin", "Quản trị hệ thống", Role::SystemAdmin, "HN"),
        ("sogd", "Cán bộ Sở Giáo dục và Đào tạo", Role::DoetOfficer, "HN"),
        ("btdkt", "Cán bộ Ban Thi đua – Khen thưởng (Sở Nội vụ)", Role::DohaOfficer, "HN"),
        ("phuong001", officer.as_str(), Role::UnitOfficer, first_ward.as_str()),
    ] {
        let uid = app.create_user(None, username, full, crate::demo::DEMO_PASSWORD, id(scope)?).await.map_err(failed)?;
        app.grant(None, uid, role, id(scope)?, true).await.map_err(failed)?;
    }
    let household_set = set_for(app, "gia_dinh_hoc_tap", None, year).await?;
    let citizen_set = set_for(app, "cong_dan_hoc_tap", None, year).await?;
    let clan_set = set_for(app, "dong_ho_hoc_tap", None, year).await?;
    let village_set = set_for(app, "cong_dong_hoc_tap_thon", None, year).await?;
    let commune_set = set_for(app, "cong_dong_hoc_tap_xa", Some(1), year).await?;
    let unit_set = set_for(app, "don_vi_hoc_tap", Some(1), year).await?;
    let mut rng = Lcg(20_251_215);
    let (mut first_village, mut first_household) = (0, 0);
    // Seconds spent in each part, reported with the progress.
    let mut laps = Laps { spent: [0.0; 4], since: Instant::now() };
    let mut communes = Vec::new();
    let mut schools = Vec::new();
    for i in 0..scale.wards {
        let (code, wname, kind) = wards.ward(i);
        let ward_id = id(&code)?;
        laps.lap(3);
        let files = write_ward_registry(dir, &mut rng, scale, (&code, kind), i, first_village, first_household).map_err(failed)?;
        let nv = share(scale.villages, scale.wards, i);
        first_village += nv;
        first_household += files.households.len();
        for (kind, f) in [(ImportKind::Households, "households.csv"), (ImportKind::People, "people.csv")] {
            let r = crate::commands::import_file(app, kind, &dir.join(f), false, usize::MAX, false).await?;
            if kind == ImportKind::Households {
                g.households += r.created;
            } else {
                g.people += r.created;
            }
        }
        laps.lap(0);
        // Clans of the ward, each spanning one to three of its villages.
        let mut clans = Vec::new();
        for k in 0..share(scale.clans, scale.wards, i) {
            let family = FAMILY[k % FAMILY.len()];
            let first = rng.next(nv);
            let villages: Vec<i64> =
                (0..1 + rng.next(3).min(nv - 1)).map(|d| id(&village_code(&code, kind, (first + d) % nv))).collect::<Result<_, _>>()?;
            let input = thidua_app::ports::ClanInput {
                code: format!("DH-{code}-{:03}", k + 1),
                name: format!("Dòng họ {family} {} ({wname})", k / FAMILY.len() + 1),
                unit_id: ward_id,
                representative_name: Some(name(&mut rng, family, false)),
                villages,
            };
            clans.push((input.code.clone(), input.name.clone(), wname.clone()));
            app.create_clan(&actor, input).await.map_err(failed)?;
            g.clans += 1;
        }
        laps.lap(1);
        // One year of assessments: one sheet per title, filled as the ward would.
        let villages: Vec<(String, String, String)> = (0..nv)
            .map(|j| {
                let c = village_code(&code, kind, j);
                let n = snap.by_code.get(&c).and_then(|v| snap.units.get(v)).map(|u| u.name.clone()).unwrap_or_default();
                (c, n, wname.clone())
            })
            .collect();
        let sheet = dir.join("sheet.csv");
        for (set, subjects, pass) in [
            (&household_set, &files.households, 880),
            (&citizen_set, &files.people, 820),
            (&clan_set, &clans, 700),
            (&village_set, &villages, 750),
        ] {
            if subjects.is_empty() {
                continue;
            }
            write_sheet(&sheet, set, subjects, &mut rng, pass).map_err(failed)?;
            g.assessments += import_sheet(app, &actor, &sheet, set, year).await?;
            laps.lap(2);
            let number = format!("{}/QĐ-UBND", 100 + g.decisions);
            g.decisions += usize::from(decide(app, &actor, set, year, ward_id, number).await?);
            laps.lap(3);
        }
        communes.push((code.clone(), wname.clone(), "Thành phố Hà Nội".to_string()));
        for u in snap.units.values().filter(|u| u.location_id == Some(ward_id) && Subject::Unit.accepts_node(u.kind)) {
            schools.push((u.code.clone(), u.name.clone(), wname.clone()));
        }
        if (i + 1) % 10 == 0 || i + 1 == scale.wards {
            say(format!(
                "{}/{} phường, xã: {} hộ, {} công dân, {} dòng họ, {} phiếu (giây: danh sách {:.0}, dòng họ {:.0}, phiếu {:.0}, quyết định {:.0})",
                i + 1,
                scale.wards,
                g.households,
                g.people,
                g.clans,
                g.assessments,
                laps.spent[0],
                laps.spent[1],
                laps.spent[2],
                laps.spent[3]
            ));
        }
    }
    // The communes and the units, assessed and recognised at the city level.
    let city = id("HN")?;
    let sheet = dir.join("sheet.csv");
    for (set, subjects) in [(&commune_set, &communes), (&unit_set, &schools)] {
        write_sheet(&sheet, set, subjects, &mut rng, 800).map_err(failed)?;
        g.assessments += import_sheet(app, &actor, &sheet, set, year).await?;
        let number = format!("{}/QĐ-SGDĐT", 1000 + g.decisions);
        g.decisions += usize::from(decide(app, &actor, set, year, city, number).await?);
    }
    Ok(g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn the_generator_opens_sqlite_with_two_connections_and_postgresql_as_configured() {
        let sqlite = Config { database_url: "sqlite:./hn.db".into(), max_connections: 8, ..Config::default() };
        assert_eq!(generator_config(&sqlite).max_connections, 2);
        let postgres = Config { database_url: "postgres://db/hn".into(), max_connections: 8, ..Config::default() };
        assert_eq!(generator_config(&postgres).max_connections, 8);
        let fewer = Config { max_connections: 1, ..sqlite };
        assert_eq!(generator_config(&fewer).max_connections, 1, "never more than configured");
    }
}
