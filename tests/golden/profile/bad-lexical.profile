profile "Lexical errors

zone a "tab	in string is fine"
zone b "bad \n escape"
role c @@ "after junk"
role d "ok" # comment with "quotes" is fine
open a -> b : tcp/443; open a -> c : tcp/80
role é
