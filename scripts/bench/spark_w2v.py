"""Spark MLlib side of scripts/spark-w2v: trains word2vec on a token file, writes the C text format.

usage: spark_w2v.py TOKENS OUT --master URL --dim D --window W --min-count M --iterations I
       --partitions P --seed S
TOKENS has one sentence a line, tokens separated by spaces (as `w2v tokens` writes them).
MLlib's Word2Vec is skip-gram with hierarchical softmax; vocabulary × dim must stay below 2^31.
"""
import argparse, json, sys, time
from pyspark.sql import SparkSession
from pyspark.ml.feature import Word2Vec

p = argparse.ArgumentParser()
p.add_argument("tokens"); p.add_argument("out")
p.add_argument("--master", default="local[*]"); p.add_argument("--dim", type=int, default=100)
p.add_argument("--window", type=int, default=5); p.add_argument("--min-count", type=int, default=5)
p.add_argument("--iterations", type=int, default=1); p.add_argument("--partitions", type=int, default=1)
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()

spark = (SparkSession.builder.master(a.master).appName("verso-spark-w2v")
         .config("spark.driver.memory", "4g").config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
start = time.perf_counter()
lines = spark.read.text(a.tokens).rdd.map(lambda r: (r[0].split(),)).filter(lambda t: len(t[0]) > 0)
df = spark.createDataFrame(lines, ["tokens"])
model = Word2Vec(vectorSize=a.dim, windowSize=a.window, minCount=a.min_count, maxIter=a.iterations,
                 numPartitions=a.partitions, seed=a.seed, inputCol="tokens", outputCol="v").fit(df)
vectors = model.getVectors().collect()
seconds = time.perf_counter() - start
with open(a.out, "w", encoding="utf-8") as f:
    f.write(f"{len(vectors)} {a.dim}\n")
    for row in vectors:
        f.write(row.word + " " + " ".join(f"{x:.9g}" for x in row.vector.toArray()) + "\n")
print(json.dumps({"words": len(vectors), "dim": a.dim, "seconds": seconds, "master": a.master}))
spark.stop()
