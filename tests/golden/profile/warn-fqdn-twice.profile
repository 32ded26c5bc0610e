# Vendor tables repeat rows: the same FQDN twice is a warning, and its
# addresses join the first declaration's.
profile "FQDN twice"
zone devices

fqdn rm01.awmdm.com "Portal Server" = 52.207.131.208
fqdn rm01.awmdm.com "Portal Server, again" = 52.207.131.208, 198.51.100.7, 198.51.100.7
group us = rm01.awmdm.com, RM01.awmdm.com
open devices -> us : tcp/443 tls
