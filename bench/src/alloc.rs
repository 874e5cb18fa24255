//! A counting global allocator: allocation calls made on threads that opted in (for the
//! per-request figures), and the peak of live heap bytes once enabled (for `gen-one`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicU64, Ordering::Relaxed};

/// The system allocator, plus counters.
pub struct Counting;

thread_local! {
    /// Whether allocations of this thread are counted.
    static COUNT_HERE: Cell<bool> = const { Cell::new(false) };
}

static CALLS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);
static TRACK_HEAP: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

#[inline]
fn on_alloc(size: usize) {
    if COUNT_HERE.try_with(Cell::get).unwrap_or(false) {
        CALLS.fetch_add(1, Relaxed);
        BYTES.fetch_add(size as u64, Relaxed);
    }
    if TRACK_HEAP.load(Relaxed) {
        let live = LIVE.fetch_add(size as isize, Relaxed) + size as isize;
        PEAK.fetch_max(live, Relaxed);
    }
}

#[inline]
fn on_free(size: usize) {
    if TRACK_HEAP.load(Relaxed) {
        LIVE.fetch_sub(size as isize, Relaxed);
    }
}

// SAFETY: every call is forwarded to `System` unchanged; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            on_alloc(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            on_alloc(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        on_free(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            on_free(layout.size());
            on_alloc(new_size);
        }
        p
    }
}

/// Allocation calls (alloc, alloc_zeroed, realloc) and bytes requested by counted threads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub calls: u64,
    pub bytes: u64,
}

/// Counting of this thread's allocations, from [`Counting::start`] to [`Counter::stop`].
/// Works across `.await`s as long as the future runs on this thread (a current-thread
/// runtime).
pub struct Counter {
    before: Counts,
}

impl Counting {
    pub fn start() -> Counter {
        let before = Counts {
            calls: CALLS.load(Relaxed),
            bytes: BYTES.load(Relaxed),
        };
        COUNT_HERE.with(|c| c.set(true));
        Counter { before }
    }
}

impl Counter {
    pub fn stop(self) -> Counts {
        COUNT_HERE.with(|c| c.set(false));
        Counts {
            calls: CALLS.load(Relaxed) - self.before.calls,
            bytes: BYTES.load(Relaxed) - self.before.bytes,
        }
    }
}

/// Starts tracking live heap bytes; [`heap_peak`] is measured from here.
pub fn track_heap() {
    LIVE.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    TRACK_HEAP.store(true, Relaxed);
}

/// Stops tracking live heap bytes: the counters are shared by every thread, and updating
/// them on each allocation slows a multi-threaded generation measurably. [`heap_peak`]
/// keeps the peak seen so far.
pub fn stop_tracking_heap() {
    TRACK_HEAP.store(false, Relaxed);
}

/// Heap bytes live now, counted from [`track_heap`].
pub fn heap_live() -> i64 {
    LIVE.load(Relaxed) as i64
}

/// The most heap bytes live at once since [`track_heap`].
pub fn heap_peak() -> u64 {
    PEAK.load(Relaxed).max(0) as u64
}
