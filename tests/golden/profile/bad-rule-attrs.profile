# Direction, citation and default closed all.
profile "Bad rule attributes"
zone devices
role srv

open devices -> srv : tcp/1 inbound outbound
open devices -> srv : tcp/2 cite "a" cite "b"
open devices -> srv : tcp/3 cite
open devices -> srv : tcp/4 cite row-4
open devices -> srv : tcp/5 sideways
default closed everything
default closed all
