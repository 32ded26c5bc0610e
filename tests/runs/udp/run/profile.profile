# UDP rules in the style of "TCP,UDP/5228-5230" (seed 000, FCM endpoints).
profile "lab test: UDP probes"

zone clients "client network"
role server  "a server behind the firewall"

open   clients -> server : udp/5228-5230, tcp/5228-5230
closed clients -> server : udp/53, udp/123, udp/161
