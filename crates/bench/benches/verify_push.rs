//! `cargo bench -p verify-push-bench`: the whole benchmark lives in the crate's library.

fn main() {
    verify_push_bench::main();
}
