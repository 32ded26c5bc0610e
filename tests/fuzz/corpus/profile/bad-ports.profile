profile "Port numbers"

zone a
role b

service ok = tcp/443
service zero = tcp/0
service big = udp/70000
service huge = tcp/99999999999999999999999
service backwards = tcp/5230-5228
open a -> b : tcp/80, 65535, 65536, 1-65536, 10-9
