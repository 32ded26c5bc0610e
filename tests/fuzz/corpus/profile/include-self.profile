profile "inc"
include "frag.inc"
include "self.inc"
role r
open fg -> r : fs
default closed
