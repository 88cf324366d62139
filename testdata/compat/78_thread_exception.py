# An exception that ends a thread is printed on stderr ("Exception in
# thread Thread-1 (worker):" and its traceback) and the script goes on;
# the script then ends with an uncaught exception of its own on the main
# thread, after the thread that is not daemon has ended.
# exit: 1
import threading
import queue

results = queue.Queue()


def worker(n):
    results.put(n * 2)
    raise ValueError("worker %d failed" % n)


t = threading.Thread(target=worker, args=(21,))
t.start()
t.join()
print(t.name, results.get(timeout=10), t.is_alive())
gate = threading.Event()


def last():
    gate.wait()
    print("last thread ends")


threading.Thread(target=last, name="last").start()
gate.set()
raise KeyError("main")
