# Sourced by the bench/run-*.sh scripts: the repository root, the load generator command and
# the reading of their options.
# shellcheck shell=bash
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="${PARLEY_BENCH:-$root/bin/parley-bench}"  # the load generator command

# read_options "NAME..." "$@": each --NAME VALUE pair sets the shell variable NAME (a dash in
# NAME stands for an underscore); an option not listed, or without a value, stops the script.
read_options() {
  local allowed=" $1 "
  shift
  while [ $# -gt 0 ]; do
    local name="${1#--}"
    case "$1" in
      --*) ;;
      *) name="" ;;
    esac
    if [ -z "$name" ] || [[ "$allowed" != *" $name "* ]]; then
      echo "unknown option $1" >&2
      exit 2
    fi
    [ $# -ge 2 ] || { echo "option $1 needs a value" >&2; exit 2; }
    printf -v "${name//-/_}" '%s' "$2"
    shift 2
  done
}
