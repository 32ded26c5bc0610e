# Judging resets by distance when the far side cannot be captured.
profile "lab test: resets without a far-side capture"

zone clients "client network"
role server  "a server behind the firewall, not ours to capture on"

open   clients -> server : tcp/443, tcp/8443
closed clients -> server : tcp/22
