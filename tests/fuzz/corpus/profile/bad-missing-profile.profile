# The title statement is required.
source "Vendor guide"
zone a
role b
open a -> b : tcp/443
