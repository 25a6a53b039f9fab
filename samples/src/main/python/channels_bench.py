"""Python's multiprocessing.Queue and Pipe figures that procactor's channels benchmark is compared with.

`bin/procactor bench channels` runs this script after its own measurements (same machine, same run);
alone: python3 samples/src/main/python/channels_bench.py
Prints one line per measurement, in the same format as the Java side.
"""
import multiprocessing
import sys
import time


def produce(q, n, batch):
    if batch == 1:
        for i in range(n):
            q.put(i)
    else:
        for i in range(0, n, batch):
            q.put(list(range(i, min(n, i + batch))))


def consume(q, out, batch):
    count = 0
    while True:
        x = q.get()
        if x is None:
            break
        count += 1 if batch == 1 else len(x)
    out.put(count)


def queue_round(n, batch):
    q = multiprocessing.Queue(maxsize=max(1000, 2 * batch) if batch == 1 else 2)
    out = multiprocessing.Queue()
    producers = [multiprocessing.Process(target=produce, args=(q, n, batch)) for _ in range(2)]
    consumers = [multiprocessing.Process(target=consume, args=(q, out, batch)) for _ in range(2)]
    for p in consumers + producers:
        p.start()
    t0 = time.perf_counter()
    for p in producers:
        p.join()
    for _ in consumers:
        q.put(None)  # one end marker per consumer, as the Java side closes the queue
    taken = out.get() + out.get()
    dt = time.perf_counter() - t0
    for p in consumers:
        p.join()
    assert taken == 2 * n, (taken, 2 * n)
    return taken / dt


def queue(n, batch, rounds):
    rates = sorted(queue_round(n, batch) for _ in range(rounds))
    what = "one item per put/get" if batch == 1 else f"lists of {batch} items per put/get"
    print(f"python Queue 2 producers + 2 consumers, {2 * n:,} items, {what}: "
          f"best {rates[-1]:,.0f} items/s, median {rates[len(rates) // 2]:,.0f} items/s")


def echo(conn):
    while True:
        x = conn.recv()
        if x is None:
            break
        conn.send(x)


def pipe():
    a, b = multiprocessing.Pipe()
    p = multiprocessing.Process(target=echo, args=(b,))
    p.start()
    for i in range(20_000):
        a.send(i)
        a.recv()
    samples = []
    for i in range(50_000):
        t0 = time.perf_counter_ns()
        a.send(i)
        a.recv()
        samples.append(time.perf_counter_ns() - t0)
    idle = []
    for i in range(-300, 1000):  # sporadic traffic: the child has waited 2 ms when the item comes (300 warm-ups)
        time.sleep(0.002)
        t0 = time.perf_counter_ns()
        a.send(i)
        a.recv()
        if i >= 0:
            idle.append(time.perf_counter_ns() - t0)
    a.send(None)
    p.join()
    pct = lambda xs, q: sorted(xs)[min(len(xs) - 1, int(len(xs) * q))] / 1e3
    print(f"python Pipe round trip parent -> child -> parent, one in flight (50000): "
          f"p50 {pct(samples, 0.5):.1f} us, p99 {pct(samples, 0.99):.1f} us, p99.9 {pct(samples, 0.999):.1f} us")
    print(f"python Pipe round trip after 2 ms idle (1000): p50 {pct(idle, 0.5):.1f} us, p99 {pct(idle, 0.99):.1f} us")


def main():
    per_producer = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    queue(per_producer, 1, 3)
    queue(2_000_000, 1000, 3)
    pipe()


if __name__ == "__main__":
    main()
