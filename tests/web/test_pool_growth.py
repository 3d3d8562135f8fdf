"""A query pool starts two processes and grows to its size when queries wait (publish/workers.py: an idle server
holds two query processes per web worker, not all of them)."""

from __future__ import annotations

import json
import threading
import time

from kg_publisher.publish.release import Release
from kg_publisher.publish.sparql import QueryJob
from kg_publisher.publish.workers import START_PROCESSES, QueryPool

#: Every observation with its amount: cheap (bound by the data), long enough that queries at once overlap.
QUERY = """SELECT ?obs ?amount WHERE {
  ?obs a <http://purl.org/linked-data/cube#Observation> ;
       <http://data.openbudgets.eu/ontology/dsd/measure/amount> ?amount .
}"""


def test_the_pool_starts_small_and_grows_to_its_size_when_queries_wait(release: Release) -> None:
    pool = QueryPool(str(release.store_path), size=4, timeout=60)
    try:
        pool.start()
        assert len(pool._all) == START_PROCESSES == 2
        expected = pool.run(QueryJob(query=QUERY, max_rows=100_000))
        rows = json.loads(expected.body)["results"]["bindings"]
        assert expected.rows == len(rows) > 100
        assert len(pool._all) == 2  # one query at a time never waits: no growth
        answers: list[bytes] = []
        most = 0

        def client() -> None:
            for _ in range(6):
                answers.append(pool.run(QueryJob(query=QUERY, max_rows=100_000)).body)

        threads = [threading.Thread(target=client) for _ in range(8)]
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            most = max(most, len(pool._all) + pool._starting)
            time.sleep(0.01)
        assert answers == [expected.body] * 48
        deadline = time.monotonic() + 60
        while pool._starting and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(pool._all) == 4 and most <= 4  # grown to its size, never past it
        assert all(worker.ready for worker in pool._all)
    finally:
        pool.close()
