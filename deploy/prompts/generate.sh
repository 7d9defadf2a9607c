#!/bin/sh
# Generates every IVR prompt in English (en) and Spanish (es) as 8 kHz mono 16-bit PCM WAV into
# media/src/main/resources/prompts/<lang>/<name>.wav. Needs Debian's espeak-ng and sox:
#   apt-get update; apt-get install -y espeak-ng sox
# The output is committed; rerun only when a text changes. espeak-ng is deterministic, so the
# files are reproducible. Prompt names and texts are the table below (name|English|Spanish).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../media/src/main/resources/prompts}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

voice_en=en-us
voice_es=es-419

while IFS='|' read -r name en es; do
    case "$name" in ''|'#'*) continue ;; esac
    for lang in en es; do
        if [ "$lang" = en ]; then text=$en; voice=$voice_en; else text=$es; voice=$voice_es; fi
        mkdir -p "$out/$lang"
        espeak-ng -v "$voice" -s 150 -w "$tmp/raw.wav" "$text"
        # Telephone band, peak at -6 dBFS, leading/trailing silence trimmed to 50 ms.
        sox -D -R "$tmp/raw.wav" -r 8000 -c 1 -b 16 -e signed-integer "$out/$lang/$name.wav" \
            silence 1 0.01 0.2% reverse silence 1 0.01 0.2% reverse \
            gain -10 highpass 200 lowpass 3400 rate 8000 gain -n -6 pad 0.05 0.05
    done
done <<'TABLE'
# IVR, inmate side
enter_pin|Please enter your PIN, then press pound.|Marque su número de identificación y luego la tecla numeral.
invalid_pin|That PIN is not valid. Please try again.|Ese número no es válido. Inténtelo de nuevo.
too_many_attempts|Too many attempts. Goodbye.|Demasiados intentos. Adiós.
enter_number|Please enter the number you wish to call, then press pound.|Marque el número al que desea llamar y luego la tecla numeral.
# one per denial reason of the contract
unknown_terminal|This phone is not authorized to place calls.|Este teléfono no está autorizado para llamar.
bad_pin|Your PIN could not be verified.|No se pudo verificar su número de identificación.
pin_locked|Your PIN is locked. Please try again later.|Su número de identificación está bloqueado. Inténtelo más tarde.
inmate_restricted|Your calling privileges are restricted.|Sus privilegios de llamada están restringidos.
daily_limit|You have reached your daily call limit.|Ha alcanzado su límite diario de llamadas.
outside_calling_hours|Calls are not allowed at this time.|No se permiten llamadas a esta hora.
facility_lockdown|Calling is suspended at this facility.|Las llamadas están suspendidas en este centro.
invalid_number|The number you dialed is not valid.|El número que marcó no es válido.
number_blocked|The number you dialed is blocked.|El número que marcó está bloqueado.
number_not_allowed|That number is not on your approved list.|Ese número no está en su lista aprobada.
toll_free|Calls to toll free numbers are not allowed.|No se permiten llamadas a números gratuitos.
premium|Calls to premium rate numbers are not allowed.|No se permiten llamadas a números de tarifa especial.
international_not_allowed|International calls are not allowed.|No se permiten llamadas internacionales.
no_account|There is no account for this number.|No hay una cuenta para este número.
insufficient_funds|There are not enough funds for this call.|No hay fondos suficientes para esta llamada.
credit_limit|The account has reached its credit limit.|La cuenta ha alcanzado su límite de crédito.
# call progress
please_hold|Please hold while your call is connected.|Espere mientras se conecta su llamada.
busy|The line is busy. Please try again later.|La línea está ocupada. Inténtelo más tarde.
no_answer|There was no answer.|No hubo respuesta.
could_not_complete|Your call could not be completed.|Su llamada no se pudo completar.
system_unavailable|The calling system is not available. Please try again later.|El sistema de llamadas no está disponible. Inténtelo más tarde.
# callee announcement: <prepaid|collect>_call_from <name> at <facility> correctional_notice
prepaid_call_from|This is a prepaid call from|Esta es una llamada prepagada de
collect_call_from|This is a collect call from|Esta es una llamada por cobrar de
at|at|desde
correctional_notice|a correctional facility. This call is subject to monitoring and recording.|un centro penitenciario. Esta llamada está sujeta a monitoreo y grabación.
an_inmate|an inmate|un recluso
a_correctional_facility|a correctional facility|un centro penitenciario
callee_menu|To accept this call, press 1. To refuse, press 2. To block further calls from this facility, press 9. To hear the rate, press 0.|Para aceptar esta llamada, marque 1. Para rechazarla, marque 2. Para bloquear más llamadas de este centro, marque 9. Para escuchar la tarifa, marque 0.
# rate quote: rate_is <digits> dollars and <digits> cents_per_minute
rate_is|The rate is|La tarifa es de
dollars|dollars|dólares
and|and|y
cents_per_minute|cents per minute|centavos por minuto
digit_0|zero|cero
digit_1|one|uno
digit_2|two|dos
digit_3|three|tres
digit_4|four|cuatro
digit_5|five|cinco
digit_6|six|seis
digit_7|seven|siete
digit_8|eight|ocho
digit_9|nine|nueve
# outcome and in-call notices
accepted|The call has been accepted.|La llamada ha sido aceptada.
refused|The call was refused. Goodbye.|La llamada fue rechazada. Adiós.
blocked|Calls from this facility to your number are now blocked. Goodbye.|Las llamadas de este centro a su número quedan bloqueadas. Adiós.
one_minute_warning|You have one minute remaining.|Le queda un minuto.
time_limit|The time limit for this call has been reached. Goodbye.|Se alcanzó el tiempo límite de esta llamada. Adiós.
balance_exhausted|The account balance has been used up. Goodbye.|El saldo de la cuenta se ha agotado. Adiós.
three_way_warning|Three way calling is not allowed on this call.|No se permiten llamadas de tres vías en esta llamada.
three_way_disconnect|A three way call was detected. This call will now end.|Se detectó una llamada de tres vías. Esta llamada terminará.
periodic_announcement|This call is from a correctional facility.|Esta llamada es de un centro penitenciario.
goodbye|Goodbye.|Adiós.
TABLE

# The classpath cannot be listed: PromptLibrary.fromClasspath reads this index.
(cd "$out" && { echo "# language/name of every prompt; written by deploy/prompts/generate.sh"; \
    ls ./*/*.wav | sed 's|^\./||; s|\.wav$||' | sort; } > index.txt)
