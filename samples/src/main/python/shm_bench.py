"""Python's multiprocessing.Value figures that procactor's shared-memory benchmark is compared with.

Two processes increment one shared Value('q') under its lock (`with v.get_lock(): v.value += 1`,
the only way Python's Value adds without losing updates); the rate counts both processes'
increments from a common start (a Barrier) until both are done. Best of three rounds.

Run on the same machine, in the same session as the Java benchmark (`bin/procactor bench shm`
runs it after its own rounds):
    python3 samples/src/main/python/shm_bench.py [increments-per-process]
"""
import multiprocessing
import sys
import time


def increment(v, n, barrier):
    barrier.wait()
    for _ in range(n):
        with v.get_lock():
            v.value += 1


def one_round(n):
    v = multiprocessing.Value('q', 0)
    barrier = multiprocessing.Barrier(3)
    ps = [multiprocessing.Process(target=increment, args=(v, n, barrier)) for _ in range(2)]
    for p in ps:
        p.start()
    barrier.wait()
    t0 = time.perf_counter()
    for p in ps:
        p.join()
    dt = time.perf_counter() - t0
    assert v.value == 2 * n, f"lost updates: {v.value} != {2 * n}"
    return 2 * n / dt


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500_000
    one_round(n // 10)  # warm up
    best = max(one_round(n) for _ in range(3))
    print(f"python Value('q') += 1 under get_lock(), 2 processes x {n}: {best:,.0f} increments/s")


if __name__ == "__main__":
    main()
