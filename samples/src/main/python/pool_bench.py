"""Python's multiprocessing figures that procactor's pool benchmark is compared with.

Run on the same machine, in the same session as the Java benchmark:
    python3 samples/src/main/python/pool_bench.py
Prints one line per measurement, in the same format as `bin/procactor bench pool`.
"""
import concurrent.futures
import multiprocessing
import os
import time


def double(x):
    return 2 * x


def cpu_task(n):
    total = 0
    for i in range(n):
        total += (i * i) % 7
    return total


def best_of(rounds, fn):
    best = None
    for _ in range(rounds):
        t0 = time.perf_counter()
        count = fn()
        dt = time.perf_counter() - t0
        rate = count / dt
        best = rate if best is None or rate > best else best
    return best


def main():
    workers = 2
    n = 1_000_000
    data = list(range(n))
    with multiprocessing.Pool(workers) as pool:
        pool.map(double, range(1000))  # warm up
        rate = best_of(3, lambda: len(pool.map(double, data)))
        print(f"python Pool({workers}).map n={n} default chunksize: {rate:,.0f} tasks/s")
        m = 100_000
        rate = best_of(3, lambda: len(pool.map(double, range(m), chunksize=1)))
        print(f"python Pool({workers}).map n={m} chunksize=1: {rate:,.0f} tasks/s")
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as ex:
        m = 20_000
        def submit_all():
            futures = [ex.submit(double, i) for i in range(m)]
            return sum(1 for f in concurrent.futures.as_completed(futures) if f.result() is not None)
        submit_all()
        rate = best_of(3, submit_all)
        print(f"python ProcessPoolExecutor({workers}) submit+as_completed n={m}: {rate:,.0f} tasks/s")
    print(f"python {os.cpu_count()} cpus")


if __name__ == "__main__":
    main()
