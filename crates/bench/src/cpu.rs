//! CPU time with nanosecond resolution, read with `clock_gettime(CLOCK_THREAD_CPUTIME_ID)` (and
//! `CLOCK_PROCESS_CPUTIME_ID`), so short batches can be measured.
//!
//! Not `/proc/thread-self/schedstat`, which this used to read: the kernel adds a running
//! thread's time to that figure only at a scheduler tick or when the thread stops running, so a
//! thread that reads its own figure while busy (the client at 256 in flight hardly ever waits)
//! sees it up to a tick (4 ms here) stale. Batches at 256 in flight take about 30 ms, so their
//! CPU times came out in steps of whole ticks (27.3 or 31.2 µs per request for many cases), and
//! their ratios jumped between 1.00 and 1.10 from run to run. The clocks bring the running
//! thread's time up to date before answering.

use std::time::Duration;

fn clock(id: libc::clockid_t) -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec that the call only writes; `id` is one of the
    // two constant clocks below.
    #[allow(unsafe_code)]
    let status = unsafe { libc::clock_gettime(id, &mut now) };
    if status != 0 {
        return Duration::ZERO;
    }
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// CPU time used so far by the calling thread. The client side runs on one current-thread
/// runtime, so this is all of its CPU time (request building, hyper's connection tasks,
/// decoding), and none of the stand-in server's.
pub fn thread() -> Duration {
    clock(libc::CLOCK_THREAD_CPUTIME_ID)
}

/// CPU time used so far by every thread of the process, the stand-in server included.
pub fn process() -> Duration {
    clock(libc::CLOCK_PROCESS_CPUTIME_ID)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// A busy thread's own CPU time moves between two reads 50 µs apart, well within a tick:
    /// with the tick-updated figure it used to read, most such differences were zero.
    #[test]
    fn a_busy_thread_sees_its_cpu_time_move_within_a_tick() {
        let mut moved = 0;
        for _ in 0..20 {
            let before = thread();
            let started = Instant::now();
            while started.elapsed() < Duration::from_micros(50) {
                std::hint::spin_loop();
            }
            let spent = thread() - before;
            if spent > Duration::ZERO && spent < Duration::from_millis(4) {
                moved += 1;
            }
        }
        assert!(moved >= 18, "only {moved} of 20 reads moved");
        assert!(process() >= thread());
    }
}
