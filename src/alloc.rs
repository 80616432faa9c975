//! The allocator on Linux: mimalloc. Classifying a call makes a few dozen small allocations that
//! live for that call; mimalloc serves them from thread-local free lists, in fewer instructions
//! than glibc's malloc (measured with the `classify` bench).
//!
//! mimalloc's own Rust wrapper asks for every block through its aligned calls, whose extra checks
//! cost as much again on this path; a block of mimalloc is always aligned to a word, so only a
//! larger alignment takes them here.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys::{mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned, mi_zalloc, mi_zalloc_aligned};

/// The alignment every mimalloc block has.
const WORD: usize = std::mem::size_of::<usize>();

struct Mimalloc;

#[global_allocator]
static ALLOCATOR: Mimalloc = Mimalloc;

// SAFETY: each call hands mimalloc the size (and, past a word, the alignment) the layout asks
// for, and returns what it returns (null on failure); blocks are freed and resized only through
// mimalloc, which takes any block it made whatever call made it.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe { if layout.align() <= WORD { mi_malloc(layout.size()) } else { mi_malloc_aligned(layout.size(), layout.align()) }.cast() }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe { if layout.align() <= WORD { mi_zalloc(layout.size()) } else { mi_zalloc_aligned(layout.size(), layout.align()) }.cast() }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: see the impl.
        unsafe { mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe { if layout.align() <= WORD { mi_realloc(ptr.cast::<c_void>(), new_size) } else { mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()) }.cast() }
    }
}

#[cfg(test)]
mod tests {
    /// Blocks of every size and alignment the program asks for come back aligned, hold what was
    /// written, and keep it through a resize.
    #[test]
    fn blocks_are_aligned_and_keep_their_contents() {
        for align in [1usize, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1usize, 3, 7, 8, 9, 15, 16, 17, 24, 40, 100, 1000, 70_000] {
                let layout = std::alloc::Layout::from_size_align(size, align).unwrap();
                // SAFETY: a non-zero size; the block is written within it and freed once.
                unsafe {
                    let p = std::alloc::alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size} align {align}");
                    p.write_bytes(0xab, size);
                    let q = std::alloc::realloc(p, layout, size * 3);
                    assert_eq!(q as usize % align, 0, "resized: size {size} align {align}");
                    assert!((0..size).all(|i| *q.add(i) == 0xab));
                    std::alloc::dealloc(q, std::alloc::Layout::from_size_align(size * 3, align).unwrap());
                    let z = std::alloc::alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0);
                    assert!((0..size).all(|i| *z.add(i) == 0));
                    std::alloc::dealloc(z, layout);
                }
            }
        }
    }
}
