//! Work spread over every core: the generator's one way of running tasks in parallel
//! (reading the spec, printing the generated files).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// The number of threads worth using: the machine's cores.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `f` of every task, in the order of `tasks`, computed on `threads` threads (the calling
/// one included). Threads take the next task as they finish one, so tasks of different
/// sizes even out; put the largest first. A panic in `f` propagates to the caller. `None`
/// only if a result is missing, which would be a bug here.
pub fn map<T: Sync, R: Send>(
    tasks: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Option<Vec<R>> {
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<R>> = Vec::new();
    slots.resize_with(tasks.len(), || None);
    let slots = Mutex::new(slots);
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(task) = tasks.get(i) else { break };
            let result = f(task);
            slots.lock().unwrap_or_else(PoisonError::into_inner)[i] = Some(result);
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads.min(tasks.len()) {
            scope.spawn(work);
        }
        work();
    });
    slots
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_in_task_order_on_any_number_of_threads() {
        let tasks: Vec<u64> = (0..100).collect();
        for threads in [1, 2, 3, 16] {
            let out = super::map(&tasks, threads, |t| t * t).expect("every result");
            assert_eq!(out, tasks.iter().map(|t| t * t).collect::<Vec<_>>());
        }
        assert_eq!(super::map(&[] as &[u8], 4, |_| 0), Some(Vec::new()));
    }
}
