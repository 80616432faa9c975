//! Runs a program and prints its peak RSS in KiB. A small static process forks and execs it, so
//! the figure is not inflated by a large parent's memory (Linux carries the pre-exec peak over).
use std::ffi::CString;
fn main() {
    let args: Vec<CString> = std::env::args().skip(1).map(|a| CString::new(a).unwrap()).collect();
    let mut argv: Vec<*const CChar> = args.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());
    unsafe {
        let pid = fork();
        if pid == 0 {
            let null = open(b"/dev/null\0".as_ptr().cast(), 1);
            dup2(null, 1);
            dup2(null, 2);
            execv(argv[0], argv.as_ptr());
            _exit(127);
        }
        let mut status = 0;
        let mut usage = [0i64; 18];
        wait4(pid, &mut status, 0, usage.as_mut_ptr().cast());
        // struct rusage: two timevals (4 longs), then ru_maxrss.
        println!("{}", usage[4]);
    }
}
type CChar = i8;
extern "C" {
    fn fork() -> i32;
    fn execv(path: *const CChar, argv: *const *const CChar) -> i32;
    fn _exit(code: i32) -> !;
    fn open(path: *const CChar, flags: i32) -> i32;
    fn dup2(a: i32, b: i32) -> i32;
    fn wait4(pid: i32, status: *mut i32, options: i32, usage: *mut u8) -> i32;
}
