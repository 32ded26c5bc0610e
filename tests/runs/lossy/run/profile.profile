# Golden run "lossy": two senders and two servers, so that a capture that
# dropped packets at one end of one pair can be seen to make exactly the
# probes whose verdict rests on that capture's silence inconclusive, and no
# others.  (tests/runs/make-fixtures.sh edits the drop counters of this run;
# see tests/runs/README.md.)
profile "golden: captures that dropped packets"

zone clients "client network"
zone admins  "administrators' network"
role server  "a server behind the firewall"
role backup  "another server behind the firewall"

open   clients -> server : tcp/443
closed clients -> server : tcp/22, tcp/23, tcp/3389
open   admins  -> backup : tcp/443
closed admins  -> backup : tcp/22, tcp/23, tcp/3389
