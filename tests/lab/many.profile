# Two hundred open ports on one server: enough packets to outgrow a page.
profile "lab test: a wide open range"

zone clients "client network"
role server  "a server behind the firewall"

open clients -> server : tcp/7000-7199
