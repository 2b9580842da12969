#!/bin/sh
# SPDX-License-Identifier: MIT
# t_completion.sh: the bash completion (tools/efsap.bash-completion)
# completes commands, options, .conf files and run's COMMAND.
. "$(dirname "$0")/lib.sh"
command -v bash >/dev/null 2>&1 || { ok "completion: no bash, skipped"; expect_eq "completion: import JSON is a .json" "$T/c.json $T/sub " "$(comp efsap import "$T/")"
expect_eq "completion: import -o FILE is a .conf" "$T/a.conf $T/sub " "$(comp efsap import -o "$T/")"
expect_eq "completion: import options" "--container " "$(comp efsap import --con)"
expect_eq "completion: import --output=FILE is a .conf" "$T/a.conf $T/sub " "$(comp efsap import --output = "$T/")"
finish; }
T=$(mktmp)
mkdir "$T/sub" && : > "$T/a.conf" && : > "$T/b.txt" && : > "$T/c.json"

# comp WORD...: what completing the last WORD offers, sorted, on one line
comp() {
	bash -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _efsap
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
	    "$EFSAP_SRC/tools/efsap.bash-completion" "$@"
}

expect_eq "completion: commands" "check " "$(comp efsap ch)"
expect_eq "completion: every command" "check compile help image import run " "$(comp efsap '')"
expect_eq "completion: run --image IMAGE is a file" "$T/a.conf $T/b.txt $T/c.json $T/sub " "$(comp efsap run --image "$T/")"
expect_eq "completion: global options" "--version " "$(comp efsap --v)"
expect_eq "completion: check options" "--explain " "$(comp efsap check --ex)"
expect_eq "completion: check FILE is a .conf" "$T/a.conf $T/sub " "$(comp efsap check "$T/")"
expect_eq "completion: run -c FILE is a .conf" "$T/a.conf $T/sub " "$(comp efsap run -c "$T/")"
expect_eq "completion: run --config=FILE is a .conf" "$T/a.conf $T/sub " "$(comp efsap run --config = "$T/")"
expect_eq "completion: run options" "--config= " "$(comp efsap run --con)"
expect_eq "completion: run --log=" "deny " "$(comp efsap run --log = d)"
expect_match "completion: run COMMAND after --" "echo " "$(comp efsap run -c x.conf -- ech)"
expect_match "completion: run COMMAND without --" "echo " "$(comp efsap run ech)"
expect_eq "completion: import JSON is a .json" "$T/c.json $T/sub " "$(comp efsap import "$T/")"
expect_eq "completion: import -o FILE is a .conf" "$T/a.conf $T/sub " "$(comp efsap import -o "$T/")"
expect_eq "completion: import options" "--container " "$(comp efsap import --con)"
expect_eq "completion: import --output=FILE is a .conf" "$T/a.conf $T/sub " "$(comp efsap import --output = "$T/")"
expect_eq "completion: image subcommands" "inspect " "$(comp efsap image ins)"
expect_eq "completion: image IMAGE is any file" "$T/a.conf $T/b.txt $T/c.json $T/sub " "$(comp efsap image unpack "$T/")"
finish
