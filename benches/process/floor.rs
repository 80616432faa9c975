//! The do-nothing floor for the hook benchmark: reads stdin to the end, prints nothing.
use std::io::Read;
fn main() {
    let mut v = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut v);
}
