//! Hà Nội's administrative units before and after the reform of 01/07/2025, as shipped
//! (`registry/ha-noi-2025.csv`, a units import file; its sources and what was checked against
//! Nghị quyết 1656/NQ-UBTVQH15 are in `registry/README.md`).

use crate::import::{ImportKind, Table, ValidRows};
use crate::registry::NodeKind;

/// The file, in the columns of the units template.
pub const HA_NOI_2025: &str = include_str!("../../../registry/ha-noi-2025.csv");

/// The code of the city unit the file's units hang under.
pub const CITY_CODE: &str = "HN";

/// The file as a table (its cells hold no comma or quote).
pub fn table() -> Table {
    let mut lines = HA_NOI_2025.lines().filter(|l| !l.trim().is_empty());
    let split = |l: &str| l.split(',').map(str::to_string).collect::<Vec<_>>();
    let headers = lines.next().map(split).unwrap_or_default();
    Table { headers, rows: lines.map(split).collect() }
}

/// The file's rows checked as an import under a city coded [`CITY_CODE`] with id `city`.
pub fn rows(city: i64) -> Result<Vec<crate::import::UnitRow>, Vec<crate::import::RowError>> {
    let known = [(CITY_CODE.to_string(), (city, NodeKind::City))].into_iter().collect();
    match crate::import::check(ImportKind::Units, &table(), &known).into_result()? {
        ValidRows::Units(rows) => Ok(rows),
        _ => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::UnitRow;
    use time::macros::date;

    fn all() -> Vec<UnitRow> {
        rows(1).unwrap_or_default()
    }

    fn named<'a>(rows: &'a [UnitRow], name: &str, former: bool) -> Option<&'a UnitRow> {
        rows.iter().find(|r| r.name == name && r.code.as_str().starts_with("CU-") == former)
    }

    fn successor_names(rows: &[UnitRow], r: &UnitRow) -> Vec<(String, bool)> {
        r.successors.iter().map(|s| (rows.iter().find(|x| x.code == s.code).map(|x| x.name.clone()).unwrap_or_default(), s.whole)).collect()
    }

    #[test]
    fn the_file_passes_the_units_import_checks() {
        assert_eq!(rows(1).map(|r| r.len()).map_err(|e| e.into_iter().take(3).collect::<Vec<_>>()), Ok(126 + 30 + 526));
    }

    /// Nghị quyết 1656/NQ-UBTVQH15, Điều 1, point 2 (of the city's 126): 51 phường and 75 xã
    /// from 01/07/2025.
    #[test]
    fn the_city_has_126_commune_level_units_from_the_first_of_july_2025() {
        let rows = all();
        let current: Vec<&UnitRow> = rows.iter().filter(|r| r.valid_from == Some(date!(2025 - 07 - 01))).collect();
        assert_eq!(current.len(), 126);
        assert_eq!(current.iter().filter(|r| r.kind == NodeKind::Ward).count(), 51);
        assert_eq!(current.iter().filter(|r| r.kind == NodeKind::Commune).count(), 75);
        assert!(current.iter().all(|r| r.valid_to.is_none() && r.parent.as_ref().map(|p| p.as_str()) == Some(CITY_CODE)));
    }

    #[test]
    fn the_thirty_districts_and_their_units_end_on_the_thirtieth_of_june_2025() {
        let rows = all();
        let former: Vec<&UnitRow> = rows.iter().filter(|r| r.code.as_str().starts_with("CU-")).collect();
        assert!(former.iter().all(|r| r.valid_to == Some(date!(2025 - 06 - 30))));
        assert_eq!(former.iter().filter(|r| r.kind == NodeKind::District).count(), 30);
        let communal: Vec<&&UnitRow> = former.iter().filter(|r| r.kind != NodeKind::District).collect();
        assert_eq!(communal.len(), 526);
        assert!(communal.iter().all(|r| !r.successors.is_empty()), "every former commune-level unit has a successor");
        assert_eq!(named(&rows, "Quận Ba Đình", true).map(|r| r.code.as_str()), Some("CU-001"));
        assert_eq!(named(&rows, "Phường Kim Mã", true).and_then(|r| r.parent.as_ref()).map(|p| p.as_str()), Some("CU-001"));
    }

    /// Điều 1 of the resolution: «Sắp xếp toàn bộ … các phường Hàng Bạc, Hàng Bồ, Hàng Buồm,
    /// Hàng Đào, Hàng Gai, Hàng Mã, Lý Thái Tổ và một phần … các phường Cửa Đông, Cửa Nam, Điện
    /// Biên, Đồng Xuân, Hàng Bông, Hàng Trống và Tràng Tiền thành phường mới có tên gọi là phường
    /// Hoàn Kiếm»; Kim Mã divided among Ba Đình, Giảng Võ and Ngọc Hà.
    #[test]
    fn a_sample_of_successions_reads_as_the_resolution() {
        let rows = all();
        let hoan_kiem = ("Phường Hoàn Kiếm".to_string(), true);
        for whole in [
            "Phường Hàng Bạc",
            "Phường Hàng Bồ",
            "Phường Hàng Buồm",
            "Phường Hàng Đào",
            "Phường Hàng Gai",
            "Phường Hàng Mã",
            "Phường Lý Thái Tổ",
        ] {
            let r = named(&rows, whole, true).map(|r| successor_names(&rows, r));
            assert_eq!(r, Some(vec![hoan_kiem.clone()]), "{whole}");
        }
        for part in [
            "Phường Cửa Đông",
            "Phường Cửa Nam",
            "Phường Điện Biên",
            "Phường Đồng Xuân",
            "Phường Hàng Bông",
            "Phường Hàng Trống",
            "Phường Tràng Tiền",
        ] {
            let r = named(&rows, part, true).map(|r| successor_names(&rows, r)).unwrap_or_default();
            assert!(r.contains(&("Phường Hoàn Kiếm".to_string(), false)), "{part}: {r:?}");
        }
        let kim_ma = named(&rows, "Phường Kim Mã", true).map(|r| successor_names(&rows, r)).unwrap_or_default();
        let mut names: Vec<&str> = kim_ma.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, vec!["Phường Ba Đình", "Phường Giảng Võ", "Phường Ngọc Hà"]);
        assert!(kim_ma.iter().all(|(_, whole)| !whole));
        assert_eq!(named(&rows, "Phường Ba Đình", false).map(|r| r.code.as_str()), Some("00004"));
    }
}
