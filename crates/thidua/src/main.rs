//! `thidua`: parse the command line, start logging, dispatch.

use clap::Parser;

fn main() {
    let cli = thidua::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("thidua: không khởi động được tokio: {e}");
            std::process::exit(1);
        }
    };
    let code = runtime.block_on(thidua::run(cli));
    std::process::exit(code);
}
