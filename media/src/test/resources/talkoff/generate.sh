#!/bin/sh
# Builds the talk-off corpus: about three minutes of synthetic speech per language, each sentence
# read by a different espeak-ng voice, pitch and speed, as 8 kHz mono mu-law WAV (speech_en.wav,
# speech_es.wav). The DTMF and dial-tone detectors must report nothing on it. Needs espeak-ng and
# sox (apt-get install -y espeak-ng sox); the output is committed so the tests never skip.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

build() {
    lang=$1; voices=$2; text=$3
    i=0
    parts=""
    for round in 1 2 3; do
        while IFS= read -r line; do
            [ -n "$line" ] || continue
            set -- $voices
            n=$#
            k=$(( (i + round) % n + 1 ))
            eval "voice=\${$k}"
            pitch=$(( 15 + (i * 37 + round * 11) % 80 ))
            speed=$(( 120 + (i * 23 + round * 17) % 90 ))
            espeak-ng -v "$voice" -p "$pitch" -s "$speed" -w "$tmp/$i.wav" "$line"
            sox -D -R "$tmp/$i.wav" -r 8000 -c 1 -b 16 -e signed-integer "$tmp/$i-8k.wav" gain -10 \
                highpass 200 lowpass 3400 gain -n -$(( 3 + i % 12 ))
            parts="$parts $tmp/$i-8k.wav"
            i=$((i + 1))
        done < "$text"
    done
    sox -D -R $parts -e u-law -b 8 "$here/speech_$lang.wav" trim 0 180
}

cat > "$tmp/en.txt" <<'TXT'
Hello, is anybody there? I have been trying to reach you all morning.
The quick brown fox jumps over the lazy dog, and then it runs away into the woods.
Tell mom I said hi, and that I'll call again on Sunday around three o'clock.
Did you get the letter I sent last week? It had the pictures from the visit.
One, two, three, four, five, six, seven, eight, nine, ten. Eleven, twelve, thirteen.
My lawyer says the hearing is set for the fourteenth of next month, at nine thirty.
Oh, wow! That is wonderful news. I'm so happy for both of you, really.
Please put some money on the account so I can keep calling every week.
How are the kids doing in school? Is Jimmy still playing baseball?
The weather here has been cold and rainy, but the food got a little better.
Yeah, yeah, I know. I'm sorry. I should have listened to you back then.
Mmm, hmm. Right. Okay. Uh huh. Sure, sure, whatever you think is best.
Can you read me the phone number again? Eight six seven, five three zero nine.
Nobody answers the phone at the office anymore, it just rings and rings.
We're going to need the paperwork signed before Friday, otherwise it gets delayed.
Happy birthday! I wish I could be there to see you blow out the candles.
Listen carefully: the appointment was moved from Tuesday to Thursday afternoon.
Whoa, whoa, slow down. Say that again, I couldn't hear you over the noise.
The television in the day room is always too loud, everybody shouts over it.
I've been reading a lot, mostly history books, and some old mystery novels.
Ahhh. Oooh. Eeeee. Hey! Hey there! Yoo hoo! Hello hello hello!
She sells sea shells by the sea shore, and the shells she sells are surely sea shells.
Remember the summer we drove down to the coast and the car broke down twice?
Alright, I have to go now, they're calling count. I love you, take care.
TXT

cat > "$tmp/es.txt" <<'TXT'
Hola, ¿hay alguien ahí? Llevo toda la mañana intentando comunicarme contigo.
El rápido zorro marrón salta sobre el perro perezoso y luego se escapa al bosque.
Dile a mamá que la saludo, y que vuelvo a llamar el domingo a eso de las tres.
¿Recibiste la carta que te mandé la semana pasada? Tenía las fotos de la visita.
Uno, dos, tres, cuatro, cinco, seis, siete, ocho, nueve, diez. Once, doce, trece.
Mi abogado dice que la audiencia es el catorce del mes que viene, a las nueve y media.
¡Ay, qué bien! Qué buena noticia. Estoy muy feliz por ustedes dos, de verdad.
Por favor, pon dinero en la cuenta para que pueda seguir llamando cada semana.
¿Cómo van los niños en la escuela? ¿Jaime sigue jugando al béisbol?
Aquí ha hecho frío y ha llovido mucho, pero la comida mejoró un poquito.
Sí, sí, ya sé. Lo siento. Debí haberte hecho caso en aquel entonces.
Mmm. Ajá. Bueno. Claro. Sí, claro, lo que tú creas que es mejor.
¿Me puedes leer el número otra vez? Ocho seis siete, cinco tres cero nueve.
Ya nadie contesta el teléfono en la oficina, suena y suena y nada.
Necesitamos los papeles firmados antes del viernes, si no, todo se retrasa.
¡Feliz cumpleaños! Ojalá pudiera estar allí para verte apagar las velas.
Escucha bien: la cita se cambió del martes al jueves por la tarde.
Espera, espera, más despacio. Repítelo, que no te oigo con tanto ruido.
La televisión de la sala siempre está muy alta, todos gritan encima.
He estado leyendo mucho, sobre todo libros de historia y novelas de misterio.
Aaaah. Ooooh. Iiiii. ¡Oye! ¡Oye, tú! ¡Hola, hola, hola!
Tres tristes tigres tragaban trigo en un trigal, en tres tristes trastos.
¿Te acuerdas del verano que fuimos a la costa y el carro se descompuso dos veces?
Bueno, me tengo que ir, ya van a contar. Te quiero mucho, cuídate.
TXT

build en "en-us en-gb en-029 en-gb-scotland en-us+f2 en-us+m3 en-gb+f4 en-us+klatt en-us+croak en-029+f3" "$tmp/en.txt"
build es "es-419 es es-419+f2 es+m3 es-419+f4 es+klatt es-419+croak es+f3" "$tmp/es.txt"
