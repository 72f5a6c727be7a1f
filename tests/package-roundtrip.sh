#!/usr/bin/env bash
# The package round trip (run by .ci/run after the tests; also by hand: tests/package-roundtrip.sh).
#  1. `dotnet pack` makes the library package Seq2Seq.Nmt (src/Seq2Seq.Core) and the .NET tool Seq2Seq.Nmt.Tool
#     (src/Seq2Seq.Cli, command `seq2seq`) in a local folder under a temporary directory;
#  2. installs the tool from that folder (dotnet tool install --tool-path), runs `seq2seq --help`, trains a tiny model
#     on generated word-for-word data and translates with it;
#  3. creates, builds and runs a small console app that references the library package from the same folder (and
#     TorchSharp-cpu, the backend an application picks) and translates a sentence with that model.
# Both the installed tool and the console app load TorchSharp's libLibTorchSharp.so from the packages, not from this
# repository's build output, so on Debian 12 they only work if the packed libstdc++ patch works (the tool carries the
# patched copy; the library package carries the patch as buildTransitive targets).
# Any failing step stops the script with a non-zero exit. It prints each step's time and the package sizes, and
# removes its temporary directory. Packages restored for the round trip go to a private folder in that directory
# (the user's NuGet cache is read as a fallback folder, never written).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/seq2seq-roundtrip.XXXXXX")
trap 'rm -rf "$work"' EXIT
feed="$work/feed"
start=$(date +%s)
timings=()

say() { echo "package-roundtrip: $*"; }
fail() { echo "package-roundtrip: FAILED: $*" >&2; exit 1; }
# step NAME COMMAND...: runs COMMAND, records and prints how long it took; a failure stops the script.
step() {
  local name=$1; shift
  local t0; t0=$(date +%s.%N)
  say "$name ..."
  "$@" || fail "$name (exit $?)"
  local seconds; seconds=$(echo "$(date +%s.%N) - $t0" | bc)
  timings+=("$(printf '%-34s %7.1f s' "$name" "$seconds")")
  say "$name: $(printf '%.1f' "$seconds") s"
}

# The user's global packages folder: the packing below restores the repository's projects there as any build does.
user_packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')
[ -n "$user_packages" ] || fail "could not find the NuGet global packages folder"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
cat > "$work/NuGet.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="roundtrip-feed" value="$feed" />
  </packageSources>
  <fallbackPackageFolders>
    <add key="user-packages" value="$user_packages" />
  </fallbackPackageFolders>
</configuration>
EOF

if strings /usr/lib/x86_64-linux-gnu/libstdc++.so.6 2>/dev/null | grep -x 'GLIBCXX_3.4.32' >/dev/null; then
  say "host libstdc++ has GLIBCXX_3.4.32 (the patch is not needed here)"
else
  say "host libstdc++ lacks GLIBCXX_3.4.32: the packed libstdc++ patch is what lets TorchSharp load"
fi

# 1. Pack. The tool's publish folder goes into the temporary directory; the patch runs after Publish, before packing.
step "pack library (Seq2Seq.Nmt)" dotnet pack src/Seq2Seq.Core -c Release -o "$feed" -nologo -v quiet
step "pack tool (Seq2Seq.Nmt.Tool)" dotnet pack src/Seq2Seq.Cli -c Release -o "$feed" -nologo -v quiet -p:PublishDir="$work/publish/"
rm -rf "$work/publish"
library=$(find "$feed" -name 'Seq2Seq.Nmt.[0-9]*.nupkg' | head -n 1)
tool=$(find "$feed" -name 'Seq2Seq.Nmt.Tool.[0-9]*.nupkg' | head -n 1)
[ -f "$library" ] && [ -f "$tool" ] || fail "packages missing in $feed: $(ls "$feed")"
version=${library##*/Seq2Seq.Nmt.}; version=${version%.nupkg}
unzip -l "$library" > "$work/library.list"
grep -q 'buildTransitive/LibTorchSharpGlibcxxCompat.targets' "$work/library.list" || fail "library package lacks the buildTransitive patch"
grep -q 'lib/net10.0/Seq2Seq.Core.xml' "$work/library.list" || fail "library package lacks the XML documentation"

# From here on, restores (the tool install, the console app) use a private packages folder in the temporary
# directory, reading the user's folder as a fallback: the packages just made never enter the user's NuGet cache.
export NUGET_PACKAGES="$work/packages"

# 2. The tool: install from the local folder, help, train a tiny model, translate.
step "install tool" dotnet tool install Seq2Seq.Nmt.Tool --version "$version" --tool-path "$work/tool" \
  --add-source "$feed" --configfile "$work/NuGet.config"
seq2seq="$work/tool/seq2seq"
step "seq2seq --help" sh -c "'$seq2seq' --help > '$work/help.txt'"
cat "$work/help.txt"
grep -q 'translate' "$work/help.txt" || fail "seq2seq --help does not list the translate verb"

# Word-for-word English→German pairs from a small lexicon: learnable in a few seconds.
mkdir -p "$work/data"
awk -v dir="$work/data" 'BEGIN {
  srand(7); n = split("the dog cat sees big small house man woman a red green", en, " ");
  split("der hund katze sieht grosse kleine haus mann frau ein rote gruene", de, " ");
  for (i = 0; i < 600; i++) {
    len = 3 + int(rand() * 4); s = ""; t = "";
    for (j = 0; j < len; j++) { k = 1 + int(rand() * n); s = s (j ? " " : "") en[k]; t = t (j ? " " : "") de[k]; }
    file = i < 560 ? "train" : "dev"; print s > (dir "/" file ".en"); print t > (dir "/" file ".de");
  } }'
step "seq2seq train (tiny model)" "$seq2seq" train --out "$work/run" --threads 1 --seed 1 \
  --Data:Train="$work/data/train" --Data:Valid="$work/data/dev" --Data:SourceLanguage=en --Data:TargetLanguage=de \
  --Tokenizer:VocabSize=60 --Model:EmbeddingSize=32 --Model:EncoderHiddenSize=32 --Model:DecoderHiddenSize=64 \
  --Model:AttentionSize=32 --Model:Dropout=0 --Training:MaxEpochs=6 --Training:BatchTokens=400 \
  --Training:LearningRate=0.01 --Training:ReportSeconds=1000
printf 'the dog sees a cat\nthe small woman sees the red house\n' > "$work/input.en"
step "seq2seq translate" "$seq2seq" translate --model "$work/run" --threads 1 --input "$work/input.en" --output "$work/output.de"
say "tool translations:"; sed 's/^/  /' "$work/output.de"
[ "$(wc -l < "$work/output.de")" -eq 2 ] && grep -q '[a-z]' "$work/output.de" || fail "the tool's translation is empty or has the wrong number of lines"

# 3. A console app that references the library package from the local folder.
mkdir -p "$work/app"
cp "$work/NuGet.config" "$work/app/NuGet.config"
cat > "$work/app/RoundTrip.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Seq2Seq.Nmt" Version="$version" />
    <!-- An application picks the backend; the library package references TorchSharp alone. -->
    <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
  </ItemGroup>
</Project>
EOF
# ---- BEGIN console app: the library's public API as a package user calls it -------------------------------------
cat > "$work/app/Program.cs" <<'EOF'
using Seq2Seq;
using Seq2Seq.Inference;

using var model = TranslationModel.Open(args[0], new TranslationModelOptions { Device = "cpu", Threads = 1 });
Console.WriteLine(model.Translate(args[1], new SearchOptions { BeamSize = 3 }));
EOF
# ---- END console app ---------------------------------------------------------------------------------------------
step "build console app" dotnet build "$work/app" -c Release -nologo -v quiet
step "run console app" sh -c "dotnet '$work/app/bin/Release/net10.0/RoundTrip.dll' '$work/run' 'the big man sees a green cat' > '$work/app.out'"
say "console app translation: $(cat "$work/app.out")"
grep -q '[a-z]' "$work/app.out" || fail "the console app printed no translation"

echo "package-roundtrip: sizes"
printf '  %-40s %6s MB\n' "$(basename "$library")" "$(echo "scale=2; $(stat -c %s "$library") / 1048576" | bc)"
printf '  %-40s %6s MB\n' "$(basename "$tool")" "$(echo "scale=1; $(stat -c %s "$tool") / 1048576" | bc)"
printf '  %-40s %6s MB\n' "installed tool (--tool-path)" "$(du -sm "$work/tool" | cut -f1)"
echo "package-roundtrip: timings"
printf '  %s\n' "${timings[@]}"
say "passed in $(( $(date +%s) - start )) s"
