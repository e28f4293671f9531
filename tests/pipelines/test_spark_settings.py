"""The settings a local Spark master gets by default (no Spark needed)."""

from __future__ import annotations

from pipelines.warehouse.spark.settings import local_defaults

GIB = 2**30


def test_a_local_master_gets_a_sized_heap_and_few_shuffle_partitions_a_cluster_nothing():
    assert local_defaults("local[2]", 24 * GIB, 16) == {
        "spark.driver.memory": "6g",
        "spark.sql.shuffle.partitions": "8",
    }
    # local[*] counts the machine's CPUs; the heap stays within 1-8 GiB
    assert local_defaults("local[*]", 64 * GIB, 4)["spark.driver.memory"] == "8g"
    assert local_defaults("local[*]", 64 * GIB, 4)["spark.sql.shuffle.partitions"] == "16"
    assert local_defaults("local", 2 * GIB, 4) == {
        "spark.driver.memory": "1g",
        "spark.sql.shuffle.partitions": "4",
    }
    assert local_defaults("local[3,2]", 8 * GIB, 1)["spark.sql.shuffle.partitions"] == "12"
    for cluster in ("spark://master:7077", "k8s://https://api:6443", "yarn"):
        assert local_defaults(cluster, 64 * GIB, 4) == {}
