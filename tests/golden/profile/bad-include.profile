# Includes: missing files, cycles, repeats; errors inside an included file
# name that file.
profile "Bad includes"
include "bad-include-a.inc"
include "missing.inc"
include "bad-include-c.inc"
include "bad-include-c.inc"
include bad-include-a.inc
zone devices
