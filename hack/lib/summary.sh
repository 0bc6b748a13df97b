# shellcheck shell=bash
# Adds up the JUnit XML reports of a run (Maven's surefire reports and the qemu guests' reports) into the
# one closing line CI reads: "tests: N passed, N failed, N skipped".

# Prints the value of attribute $2 of the first <testsuite> element of file $1 (0 when absent).
beesting::suite_attr() {
    local value
    value=$(grep -m1 -o "<testsuite [^>]*" "$1" | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]\+')
    echo "${value:-0}"
}

beesting::summary() {
    local total=0 skipped=0 failed=0 file
    while IFS= read -r -d '' file; do
        total=$((total + $(beesting::suite_attr "$file" tests)))
        skipped=$((skipped + $(beesting::suite_attr "$file" skipped)))
        failed=$((failed + $(beesting::suite_attr "$file" failures) + $(beesting::suite_attr "$file" errors)))
    done < <(find "$@" -name 'TEST-*.xml' -print0 2>/dev/null)
    echo "tests: $((total - skipped - failed)) passed, $failed failed, $skipped skipped"
}
