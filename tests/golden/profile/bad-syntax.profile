# One syntax error per statement; parsing goes on after each.
profile "Syntax errors"

zone a
zone b "B" extra
role 5
role c

open a b : tcp/443
open a -> b tcp/443
open a -> b : tcp 443
allow a -> b : tcp/443
"zone" d
default open
service x tcp/80
open a -> c : tcp/443-
open a -> c : , tcp/80
open a -> b : tcp/443,
