"""Where notebooks execute: local worker processes, or a Dask cluster.

Both offer ``submit(fn, *args) -> future``, ``wait_first(futures) -> done``
and ``size`` (how many notebooks run at once), so the coordinator does not
care which it has.  Workers only execute; they never touch the gradebook.
"""

import concurrent.futures
import multiprocessing
import os

from graders.fastgrade.kernels import local_zygote
from graders.fastgrade.zygote import die_with_parent


class LocalWorkers:
    """A pool of worker processes on this machine sharing one kernel zygote."""

    def __init__(self, size=None):
        # One more worker than cores: a kernel spends ~0.3 s of its start-up
        # waiting on handshakes, which another worker's notebook can use.
        self.size = size or (os.cpu_count() or 1) + 1
        local_zygote()  # started before the pool, whose processes inherit its address
        self.pool = concurrent.futures.ProcessPoolExecutor(
            self.size, mp_context=multiprocessing.get_context("spawn"), initializer=die_with_parent)

    def submit(self, fn, *args):
        return self.pool.submit(fn, *args)

    def wait_first(self, futures):
        done, _ = concurrent.futures.wait(futures, return_when=concurrent.futures.FIRST_COMPLETED)
        return done

    def close(self):
        self.pool.shutdown(cancel_futures=True)


class DaskWorkers:
    """A Dask cluster: ``"local"`` starts a LocalCluster, anything else is a scheduler address.

    Each Dask worker process starts its own zygote on first use, so kernels are
    forked on the machine that runs them (a Slurm node, for example).
    """

    def __init__(self, address, size=None):
        from dask.distributed import Client, LocalCluster

        if address == "local":
            self.cluster = LocalCluster(n_workers=size or os.cpu_count() or 1, threads_per_worker=1,
                                        processes=True, dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            self.cluster = None
            self.client = Client(address)
        self.size = size or max(1, sum(self.client.nthreads().values()))

    def submit(self, fn, *args):
        return self.client.submit(fn, *args, pure=False)

    def wait_first(self, futures):
        from dask.distributed import wait

        return wait(futures, return_when="FIRST_COMPLETED").done

    def close(self):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
