profile "inc"
include "sub/frag.inc"
role r in fz
open fz -> r, f.example.com : tcp/1-3, tcp+udp/9 outbound cite "c"
