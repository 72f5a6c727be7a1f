#!/usr/bin/env sh
# Downloads Multi30k task 1 (raw text) from the dataset's GitHub repository into DIR, with the file names the
# recipes in configs/ expect: train, val, test_2016_flickr, test_2017_flickr × en, de, fr (.gz).
set -eu
dir=${1:?usage: corpora/fetch-multi30k.sh DIR}
base=https://github.com/multi30k/dataset/raw/master/data/task1/raw
mkdir -p "$dir"
for split in train val test_2016_flickr test_2017_flickr; do
  for lang in en de fr; do
    file="$split.$lang.gz"
    if [ ! -s "$dir/$file" ]; then
      curl -fsSL "$base/$file" -o "$dir/$file.part"
      mv "$dir/$file.part" "$dir/$file"
    fi
  done
done
echo "Multi30k is in $dir"
