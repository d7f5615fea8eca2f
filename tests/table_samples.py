"""Files as offices bring them, shared by the import tests of the core and the window."""

# A Polish Excel "CSV (separated by semicolons)": cp1250, CRLF, Polish headers. Row 4 has
# a broken e-mail address; row 5 is row 2 again (the e-mail in other letter case).
POLISH_CSV = (
    "Imię;Nazwisko;Firma;NIP firmy;E-mail;Telefon;Miasto;Kod pocztowy;Stanowisko\r\n"
    "Łukasz;Żółkiewski;Przedsiębiorstwo Łąka Sp. z o.o.;5260250274;l.zolkiewski@laka.pl;"
    "+48 95 720 12 34;Gorzów Wielkopolski;66-400;Kierownik działu\r\n"
    "Małgorzata;Częścik;Przedsiębiorstwo Łąka Sp. z o.o.;526-025-02-74;m.czescik@laka.pl;"
    "957201235;Gorzów Wielkopolski;66400;Główna księgowa\r\n"
    "Jan;Wiśniewski;Przedsiębiorstwo Łąka Sp. z o.o.;5260250274;jan.wisniewski@@laka;;"
    "Gorzów Wielkopolski;66-400;Specjalista\r\n"
    "Łukasz;Żółkiewski;Przedsiębiorstwo Łąka Sp. z o.o.;PL5260250274;L.Zolkiewski@LAKA.pl;;"
    "Gorzów Wielkopolski;66-400;Kierownik działu\r\n"
)
