//! The real binary: help, configuration errors, demo, import with a progress bar, export,
//! audit verification, backup and restore.

use std::process::Command;

fn thidua(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(args)
        .current_dir(dir)
        .env_remove("THIDUA_DATABASE_URL")
        .env_remove("THIDUA_BIND")
        .output()
        .expect("run thidua")
}

fn text(o: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn the_binary_describes_its_commands() {
    let dir = tempfile::tempdir().expect("dir");
    let o = thidua(dir.path(), &["--help"]);
    assert!(o.status.success());
    for cmd in ["serve", "migrate", "demo", "user", "import", "export", "backup", "restore", "audit", "check-config"] {
        assert!(text(&o).contains(cmd), "{cmd} missing from help");
    }
}

#[test]
fn a_bad_database_url_stops_with_one_clear_line() {
    let dir = tempfile::tempdir().expect("dir");
    let o = thidua(dir.path(), &["--database-url", "mysql://x/y", "check-config"]);
    assert!(!o.status.success());
    let out = text(&o);
    assert_eq!(out.trim().lines().count(), 1, "{out}");
    assert!(out.contains("sqlite:") && out.contains("postgres://"));
}

#[test]
fn a_port_in_use_stops_with_one_clear_line() {
    let dir = tempfile::tempdir().expect("dir");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let o = thidua(dir.path(), &["serve", "--bind", &addr]);
    assert!(!o.status.success());
    assert!(text(&o).contains("không mở được cổng"), "{}", text(&o));
}

#[test]
fn demo_import_export_verify_backup_and_restore_work_end_to_end() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let o = thidua(d, &["demo"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(d.join("data/thidua.db").exists(), "SQLite lives under ./data by default");
    std::fs::write(
        d.join("ho.csv"),
        "Mã hộ,Mã thôn/tổ dân phố,Họ và tên chủ hộ\nHGD-CLI-1,BD-TDP01,Cao Văn Lệnh\nHGD-CLI-2,KHONGCO,Cao Thị Dòng\n",
    )
    .expect("write");
    let o = thidua(d, &["import", "households", "ho.csv"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("dòng 3") && text(&o).contains("KHONGCO"), "{}", text(&o));
    std::fs::write(
        d.join("ho.csv"),
        "Mã hộ,Mã thôn/tổ dân phố,Họ và tên chủ hộ\nHGD-CLI-1,BD-TDP01,Cao Văn Lệnh\nHGD-CLI-2,BD-TDP02,Cao Thị Dòng\n",
    )
    .expect("write");
    let o = thidua(d, &["import", "households", "ho.csv", "--dry-run"]);
    assert!(o.status.success() && text(&o).contains("Chưa ghi"), "{}", text(&o));
    let o = thidua(d, &["import", "households", "ho.csv"]);
    assert!(o.status.success() && text(&o).contains("tạo 2"), "{}", text(&o));
    let o = thidua(d, &["export", "households", "ho.xlsx"]);
    assert!(o.status.success(), "{}", text(&o));
    let table = thidua_documents::read_table(&std::fs::read(d.join("ho.xlsx")).expect("read"), 10_000).expect("xlsx");
    assert_eq!(table.rows.len(), 380, "27 groups of 14 households, and the 2 imported");
    let o = thidua(d, &["audit", "verify"]);
    assert!(o.status.success() && text(&o).contains("toàn vẹn"), "{}", text(&o));
    let o = thidua(d, &["backup", "sao-luu.db"]);
    assert!(o.status.success(), "{}", text(&o));
    std::fs::write(d.join("ho3.csv"), "Mã hộ,Mã thôn/tổ dân phố,Họ và tên chủ hộ\nHGD-CLI-3,BD-TDP01,Sau Sao Lưu\n").expect("write");
    assert!(thidua(d, &["import", "households", "ho3.csv"]).status.success());
    let o = thidua(d, &["restore", "sao-luu.db"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = thidua(d, &["export", "households", "sau.xlsx"]);
    assert!(o.status.success());
    let table = thidua_documents::read_table(&std::fs::read(d.join("sau.xlsx")).expect("read"), 10_000).expect("xlsx");
    assert_eq!(table.rows.len(), 380, "the household imported after the backup is gone");
    let o = thidua(d, &["user", "list"]);
    assert!(text(&o).contains("phuongbadinh"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_send_needs_a_mail_server_and_runs_one_round_against_it() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().to_path_buf();
    let run = move |args: Vec<String>, smtp: Option<String>| {
        let path = path.clone();
        tokio::task::spawn_blocking(move || {
            let mut c = Command::new(env!("CARGO_BIN_EXE_thidua"));
            c.args(&args).current_dir(&path).env_remove("THIDUA_DATABASE_URL").env_remove("THIDUA_SMTP_URL");
            if let Some(url) = smtp {
                c.env("THIDUA_SMTP_URL", url);
            }
            c.output().expect("run thidua")
        })
    };
    let o = run(vec!["mail".into(), "send".into()], None).await.expect("join");
    assert!(!o.status.success());
    assert!(text(&o).contains("THIDUA_SMTP_URL"), "{}", text(&o));
    let o = run(vec!["mail".into(), "send".into()], Some("gopher://x".into())).await.expect("join");
    assert!(!o.status.success() && text(&o).contains("smtp_url"), "{}", text(&o));
    let sink = crate::smtp_sink::Sink::start().await;
    let o = run(vec!["mail".into(), "send".into()], Some(sink.url())).await.expect("join");
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Thư mới xếp hàng: 0; đã gửi: 0"), "nobody has an address in a new database: {}", text(&o));
}
