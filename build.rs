//! The default theme is embedded with include_dir!, which cargo cannot see through on stable:
//! rebuild when any of its files changes.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
