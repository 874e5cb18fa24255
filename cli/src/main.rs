//! `token-revoke`: see `token-revoke --help` and the `token_revoke` library.

fn main() -> std::process::ExitCode {
    token_revoke::main()
}
