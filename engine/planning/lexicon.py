"""Sound-concept lexicon for the ``rules`` planner: story words -> renderable captions.

One line per concept: ``key | kind[:seconds] | caption template | triggers``.

kind: ``bed`` a continuous texture (ambience track), ``place`` a setting that has a sound
of its own (a city street, a beach), ``quiet`` a setting whose bed is near silence (a room,
a kitchen: used only when the scene has no other bed), ``fx`` a foreground sound,
``music`` music the story asks for. ``seconds`` is the natural length of an fx.

The template names the sound source, the action and nothing else; ``{dog}`` is the head
slot, filled with the story's own noun when one of the concept's nouns occurs ("a hound
barking") together with its qualifiers ("old", "wooden", "two"). ``{_person}`` takes the
words before the trigger (the subject: "the old pipes rattle" -> "old pipes rattling"),
"person" when there are none.

Triggers (matched on word stems, phrases on consecutive stems, ``a+b`` when both stems
occur in the clause):
  word      a sound word: always a sound event            (bark, creak, thunderclap)
  word!     a sound word that is also the head noun       (rain!, thunder!)
  word*     a source noun that sounds on its own          (dog*, rooster*, helicopter*)
  word?     a source noun that sounds only with an action (door?, glass?, car?)
  word~     an ambiguous action: counts when its concept's noun is present, or when
            nothing else in the clause explains it        (howl~, roar~, cry~)
  trigger=template  this trigger has its own template     (growl=a {dog} growling)
"""
from __future__ import annotations

from dataclasses import dataclass, field

LEXICON = r"""
# --- weather and water: beds ----------------------------------------------------------------
rain | bed | {rain} falling steadily | rain!, raining, rainy=rain falling steadily, wet~, rainfall!, downpour!, drizzle!, drizzling, raindrops!, rainstorm!, shower~, pour~, patter~, pitter-patter, monsoon!, cloudburst!, sleet!, hail!, hailstones!, drum~
storm | bed | a {storm}, heavy rain and gusting wind | storm!, stormy=a storm with heavy rain and gusting wind, thunderstorm!, tempest!, hurricane!, typhoon!, squall!, blizzard=a {blizzard} with howling wind and driving snow
wind | bed | {wind} blowing in gusts | wind!, winds!, gust!, gusts!, gale!, breeze!, draught!, draft!, blustery, windy, whirlwind!, moan~, howl~, whistle~, blow~, wail~, sigh~, whip~, gusting
thunder | fx:6 | {thunder} rumbling | thunder!, thunderclap!, thunderbolt!, lightning!, rumble~, crack~=a sharp crack of {thunder}, cracks~=a sharp crack of {thunder}, roll~, boom~, peal~
ocean | bed | {waves} rolling and breaking | wave!, waves!, surf!, breaker!, breakers!, ocean*, sea*, seashore*, seaside*, tide!, shoreline*, lap~, crash~, swell?, surge~
stream | bed | a {stream} babbling over stones | stream!, brook!, creek!, river!, rivulet!, rapids!, babble, babbling, trickle, trickling, gurgle~, burble, flowing water, running water, flow~, rush~
waterfall | bed | a {waterfall} roaring, running water crashing down | waterfall!, cascade!, falls~, weir!, roar~
drips | fx:6 | water dripping slowly | drip, dripping, drips, droplet!, droplets!, leak, leaking, leaky, faucet?, plink, plop
fire | bed | a {fire} crackling | fire!, campfire!, wood stove*=a wood stove crackling, woodstove*=a wood stove crackling, bonfire!, fireplace!, hearth!, flame!, flames!, blaze!, embers!, inferno!, crackle~, crackling~, burn~, wildfire!, pop~, hiss~
splash | fx:2 | {_something} splashing into water | splash, splashes, splashing, splosh, plunge~, dive~, dives~
underwater | bed | muffled underwater ambience with rising bubbles | underwater, under water, submerged, undersea, seabed, ocean floor, sea floor, seafloor, scuba, bubble!, bubbles!, bubbling, under the ocean, under the sea, under the waves, under the surface, beneath the ocean, beneath the sea, beneath the waves, beneath the surface, below the surface, below the waves, bottom of the sea, bottom of the ocean, ocean depths, depths of the ocean, depths of the sea, deep sea, deep-sea
ice | fx:3 | ice cracking | ice+crack, ice+creak, glacier*, iceberg*, frozen lake
snow | bed | soft wind over a snowy landscape | snowy, snowfall!, snowstorm!, snow+fall, snowing
# --- nature: animals ----------------------------------------------------------------------
birds | bed | {birds} singing in the trees | bird*, birds*, songbird*, songbirds*, birdsong, chirp~, chirping~, tweet, tweeting, twitter, warble, warbling, dawn chorus, sparrow*, robin*, finch*, blackbird*, nightingale*, lark*, thrush*, wren*, starling*, chorus~, sing~, songs~, cuckoo*
gulls | fx:5 | {gulls} crying overhead, sea birds calling | gull*, gulls*, loon*=a loon calling across the water, loons*=loons calling across the water, seagull*, seagulls*, albatross*, tern*, cormorant*, cry~, call~, squawk~, screech~
parrot | fx:3 | a {parrot} squawking and cawing | parrot*, parrots*, macaw*, macaws*, cockatoo*, cockatoos*, parakeet*, parakeets*, squawk~, screech~
crow | fx:4 | a {crow} cawing | crow?, crows?, raven*, ravens*, rook*, caw, cawing, magpie*
pigeons | fx:5 | {pigeons} cooing | pigeon*, pigeons*, dove*, doves*, coo, cooing
owl | fx:5 | an {owl} hooting | owl*, owls*, hoot, hoots, hooting, hoo, to-whit
woodpecker | fx:4 | a {woodpecker} drumming on a tree | woodpecker*, peck~, drum~, knock~
duck | fx:4 | {ducks} quacking | duck*, ducks*, quack, quacking, goose*, geese*, honk~, mallard*, swan*
rooster | fx:4 | a {rooster} crowing | rooster*, cockerel*, cock-a-doodle-doo, crow~, crows~
chickens | fx:5 | {hens} clucking in the yard | hen*, hens*, chicken*, chickens*, chick*, chicks*, cluck, clucking, poultry*, peep~
dog | fx:4 | a {dog} barking | bark, barks, barking, woof, yap, yapping, dog*, dogs*, hound*, hounds*, collie*, sheepdog*, beagle*, dachshund*, puppy*, pup*, mutt*, terrier*, retriever*, spaniel*, poodle*, labrador*, bulldog*, shepherd?, growl=a {dog} growling, snarl=a {dog} snarling, whimper=a {dog} whimpering, howl~=a {dog} howling, bay~=a {dog} baying, yelp=a {dog} yelping
wolf | fx:5 | a {wolf} howling in the distance | wolf*, wolves*, coyote*, coyotes*, jackal*, werewolf*, yip=a {coyote} yipping, howl~, bay~
cat | fx:3 | a {cat} meowing | cat*, cats*, kitten*, kittens*, kitty*, tomcat*, meow, meows, meowing, miaow, mew, purr=a {cat} purring, hiss~=a {cat} hissing, yowl=a {cat} yowling
horse | fx:5 | a {horse} trotting, hooves clip-clopping | horse*, horses*, horseback*=a horse galloping, ride~, rides~, riding~, rode~, stallion*, mare*, pony*, ponies*, foal*, mule*, donkey*, hooves!, hoofbeats!, clip-clop, gallop=a {horse} galloping, galloping, trot, trotting, canter, neigh=a {horse} neighing, whinny=a {horse} whinnying, whinnies=a {horse} whinnying, snort~=a {horse} snorting, cavalry*, carriage?, stagecoach*, wagon?
cow | fx:4 | a {cow} mooing | cow*, cows*, cattle*, bull*, calf*, moo, mooing, low~, herd*
sheep | fx:4 | {sheep} bleating | sheep*, lamb*, lambs*, ewe*, goat*, goats*, flock*, bleat, bleating, baa
pig | fx:3 | a {pig} grunting | pig*, pigs*, hog*, boar*, piglet*, oink, grunt~, squeal~
frogs | bed | {frogs} croaking by the water | frog*, frogs*, toad*, toads*, bullfrog*, croak, croaking, ribbit, peepers*, swamp*, marsh*, bog*, pond*
insects | bed | {insects} buzzing and chirring | insect*, insects*, cricket*, crickets*, cicada*, cicadas*, katydid*, grasshopper*, chirr, chirring, buzz~, drone~
bees | fx:5 | {bees} buzzing | bee*, bees*, beehive*, hive*, wasp*, wasps*, hornet*, hornets*, bumblebee*
fly | fx:4 | a {fly} buzzing around the room |  mosquito*, housefly*, mosquitoes*, gnat*, gnats*
monkeys | fx:5 | {monkeys} calling from the trees | monkey*, monkeys*, ape*, apes*, chimp*, chimpanzee*, gorilla*, baboon*, howler*, gibbon*, screech~, chatter~, call~, hoot~, shriek~
lion | fx:4 | a {lion} roaring | lion*, lions*, tiger*, tigers*, leopard*, panther*, jaguar*, puma*, roar~, growl~=a {lion} growling, snarl~=a {lion} snarling
bear | fx:4 | a {bear} growling | bear*, bears*, grizzly*, growl~, roar~
elephant | fx:4 | an {elephant} trumpeting | elephant*, elephants*, trumpet~, trumpeting~
whale | fx:8 | a {whale} singing underwater | whale*, whales*, dolphin*, dolphins*, whale song
snake | fx:3 | a {snake} hissing | snake*, snakes*, serpent*, rattlesnake*, viper*, cobra*, rattle~, hiss~
mouse | fx:3 | a {mouse} squeaking and scratching | mouse*, mice*, rat*, rats*, rodent*, hamster*, squeak~, scurry, scurrying, scratch~
dragon | fx:5 | a {dragon} roaring | dragon*, dragons*, monster*, beast?, creature?, troll*, ogre*, giant?, dinosaur*, t-rex*, roar~, bellow~, growl~, shriek~
wings | fx:3 | large wings flapping | wing?, wings?, flap, flapping, flutter, fluttering, wingbeat!, beat~
flag | fx:5 | {flag} flapping in the wind | flag?, flags?, kite?, kites?, banner?, banners?, pennant?, tarp?, tarpaulin?, laundry?, washing?, sail?, sails?, canvas?, awning?, flap~, flaps~, flapping~, flutter~, flutters~, fluttering~
leaves | fx:6 | dry leaves rustling in the breeze | leaf?, leaves?, foliage?, rustle, rustling, rustles, bush?, bushes?, undergrowth?, branch?, branches?, twig?, twigs?, snap~=a twig snapping
# --- people ---------------------------------------------------------------------------------
steps | fx:5 | {footsteps} walking | footstep!, footsteps!, footfall!, footfalls!, step~, steps~, walk~, walks~, walking~, stroll, tread, trudge, trudging, pace, pacing, boots!, heels!, sneaker!=sneakers squeaking with each footstep, sneakers!=sneakers squeaking with each footstep, shoes?, feet?, stride, strides, stomp=heavy footsteps stomping, march=boots marching in step, marching=boots marching in step, tiptoe=soft footsteps tiptoeing, tiptoes=soft footsteps tiptoeing, sneak=soft footsteps tiptoeing, creep~=soft footsteps creeping, run=footsteps running fast, runs=footsteps running fast, running=footsteps running fast, sprint=footsteps running fast, dash~=footsteps running fast, spur!=spurs jingling with each footstep, spurs!=spurs jingling with each footstep, stamp=heavy boots stamping, stamps=heavy boots stamping, stairs?=footsteps on the stairs, staircase?=footsteps on the staircase, climb+stair=footsteps climbing the stairs, climb+staircase=footsteps climbing the stairs, climb+step=footsteps climbing the steps, climb+ladder=footsteps climbing a ladder, ascend+stair=footsteps climbing the stairs, descend+stair=footsteps going down the stairs, climb~=footsteps climbing, climbs~=footsteps climbing, climbing~=footsteps climbing, climbed~=footsteps climbing, crunch~, creak~, echo~, echoes~, shuffle~, squeak~
jump | fx:1.5 | a springy cartoon boing as someone jumps | jump, jumps, jumping, leap, leaps, hop, hops, bounce, bounces, boing, sproing, spring?
breathing | fx:6 | {_someone} breathing heavily | breath!, breathe, breathing, breaths!, pant, panting, gasp, gasping, wheeze, wheezing, sigh=a person sighing, inhale, exhale, sniff, sniffing, snore=a person snoring, snoring
heartbeat | fx:6 | a {heart} beating fast | heart!, heartbeat!, heartbeats!, pulse?, pound~, race~, thump~, beat~
voice | fx:4 | a {_person} speaking | talk, talks, talking, speak, speaks, speaking, say~, says~, said~, whisper=a {_person} whispering, whispers=a {_person} whispering, whispering=a {_person} whispering, murmur~=a {_person} murmuring, mutter=a {_} muttering, voice!, voices!, announce=a voice announcing over a public address speaker, pag+intercom=a voice calling out over the intercom, pag+speaker=a voice calling out over the loudspeaker, pag+loudspeaker=a voice calling out over the loudspeaker, pag+tannoy=a voice calling out over the tannoy, announces=a voice announcing over a public address speaker, announcement!=a voice announcing over a public address speaker, announcements!=voices announcing over a public address speaker, radio?, narrator?, conversation=two people in conversation
shout | fx:3 | a {_man} shouting | call out=a {_man} calling out, calls out=a {_man} calling out, calling out=a {_man} calling out, shout, shouts, shouting, yell, yells, yelling, holler, call~=a {_man} calling out, calls~=a {_man} calling out, bellow~, cheer~, command~, order~, chant=a crowd chanting, chants!=a crowd chanting, chanting=a crowd chanting, roar~
scream | fx:3 | a {_woman} screaming | scream, screams, screaming, shriek, shrieks, shrieking, screech~, wail~
cry | fx:5 | a {_person} crying | cry~, cries~, crying, sob, sobs, sobbing, weep, weeps, weeping, moan~=a {_person} moaning in pain, groan~=a {_person} groaning, whimper~, wounded?
baby | fx:5 | a {baby} crying | baby*, babies*, infant*, newborn*, toddler?, cry~, wail~, giggle~=a {baby} giggling, babble~=a {baby} babbling
laugh | fx:4 | {_people} laughing | laugh, laughs, laughing, laughter!, giggle, giggles, giggling, chuckle, chuckles, chuckling, cackle=a witch cackling, cackles=a witch cackling, snicker, guffaw
cough | fx:3 | a {_person} coughing | cough, coughs, coughing, sneeze=a person sneezing, sneezes=a person sneezing, clear+throat, hiccup=a person hiccuping
singing | music:12 | a {_voice} singing a song | sing~, sings~, singing~, song~, hum~, humming~, choir!, hymn!, lullaby!, serenade, carol!, aria!, chorus~, a cappella
eating | fx:4 | someone chewing and eating | chew, chewing, munch, munching, crunch~, slurp, slurping, gulp, gulping, swallow, bite~, eat, eats, eating
clapping | fx:5 | {_people} clapping and applauding | clap, claps, clapping, applaud, applauds, applause!, ovation!, cheer=a crowd cheering and applauding, cheers=a crowd cheering and applauding, cheering=a crowd cheering and applauding, whoop, whooping
crowd | place | the murmur of a {crowd} talking | crowd!, crowds!, audience!, concert hall*=an audience murmuring in a concert hall, auditorium*=an audience murmuring in a concert hall, roar~=a {crowd} roaring, cheer~=a {crowd} cheering, spectators!, onlookers?, passengers?, guests?, diners?, people?, chatter, chattering, chat=people chatting, chats=people chatting, chatting=people chatting, chit-chat, hubbub!, murmur~, babble~, bustle=a {crowd} bustling, bustling=a {crowd} bustling, throng!, mob!, walla
candles | fx:2 | a puff of breath blowing out {candles} | blow+candl, blow+candle, snuff+candl, candle?, candles?
kiss | fx:1 | a soft kiss | kiss, kisses, kissing, smooch
knock | fx:3 | knocking on a {door} | knock, knocks, knocking, rap, raps, rapping, pound~=pounding on a {door} with a fist, bang~=banging on a {door}, tap~=tapping on a {door}, door?, doors?
doorbell | fx:3 | a {doorbell} ringing | doorbell*, door bell, buzzer*, intercom?, ding-dong
# --- doors, house, objects --------------------------------------------------------------
creak | fx:3 | an old {door} creaking open | creak, creaks, creaking, creaky, squeak~=a {door} squeaking, groan~=a {door} groaning, hinge!, hinges!, door?, gate?, floorboard!=old {floorboard} creaking, floorboards!=old {floorboards} creaking, hull?=a ship's hull creaking under pressure, mast?, rope?=ropes creaking under strain, ropes?=ropes creaking under strain, haul~, hauls~, heave~, heaves~, strain~, shutter?, rocking chair*
door_open | fx:3 | a {door} swinging open with a creak | door?, doors?, gate?, gates?, door+open, doors+open, gate+open, door+swing, door+unlock, lock+turn, handle+turn=a door handle turning with a click, doorknob+turn=a door handle turning with a click, handle?, doorknob?, latch!=a latch clicking, unlock=a key turning in a lock, key?, keys?=a bunch of keys jingling, lock?
door_close | fx:2.5 | a {door} slamming shut | flap shut=a swinging door flapping shut, flaps shut=a swinging door flapping shut, swing shut=a swinging door flapping shut, swings shut=a swinging door flapping shut, slam, slams, slammed, slamming, door+shut, door+close, gate+clang, gate+shut, shut~, bang~, close~, closes~, door?, doors?, gate?, cupboard?, drawer?
glass | fx:3 | {glass} shattering | shatter, shatters, shattering, smash, smashes, smashing, glass?, window?, windows?, windowpane?, bottle?, bottles?, mirror?, vase?, plate?, plates?, break~, breaks~, crash~, tinkle~, clink=glasses clinking, toast~=glasses clinking in a toast
bell | fx:8 | a {bell} tolling | bell*, bells*, church bell*, belfry!, carillon!, toll, tolls, tolling, peal, peals, chime~, ring~, rings~, ringing~, clang~, strike~=a {clock} striking the hour, strikes~=a {clock} striking the hour, gong*, bugle?, buoy?=a bell buoy clanging
chimes | fx:8 | wind chimes tinkling | ice cream truck*=an ice cream truck jingle tinkling, ice cream van*=an ice cream van jingle tinkling, music box*=a music box tinkling a tune, chimes!, wind chime, wind chimes, windchime!, tinkle, tinkling, jingle~, jingling~, jangle~, sleigh bell*, sleigh bells*
clock | fx:8 | a {clock} ticking | clock+strike=a {clock} chiming the hour, clock+struck=a {clock} chiming the hour, clock+chime=a {clock} chiming the hour, clock*, clocks*, grandfather clock*, tick, ticks, ticking, tock, tick-tock, pendulum!, stopwatch*, watch?, countdown?, timer?
alarm | fx:5 | an {alarm} beeping | alarm*, alarms*, alarm clock*, smoke alarm*, beep, beeps, beeping, bleep, bleeps, buzzer?, klaxon*, red alert*, warning?, detector*, microwave?=a microwave beeping, oven?
phone | fx:6 | a {phone} ringing | phone*, phones*, telephone*, cellphone*, smartphone*, mobile?, landline*, ring~, rings~, ringing~, buzz~=a {phone} buzzing, vibrate=a {phone} vibrating, ringtone!, dial=a rotary phone dialling, text message=a phone notification chime
typing | fx:6 | fingers {typing} on a keyboard | type, types, typing, keyboard!, keyboards!, keystrokes!, typewriter!, typist*, laptop?, computer?, console?, terminal?, keys~, clatter~, tap~, click~
computer | fx:2 | a {computer} chirping with short interface blips | computer*, computers*, console?, terminal?, screen?, robot*, android?, droid*, chirp~, blip, blips, bleep~, beep~, notification!, ping~, boot~, whir~, process~
paper | fx:4 | {pages} rustling | paper?, papers?, page?, pages?, newspaper?, book?, books?, letter?, envelope?, map?, document?, documents?, notebook?, scroll?, rustle~, turn~, turns~, shuffle~, leaf~, leafs~, flip~, tear=paper tearing, tears~=paper tearing, rip=paper ripping, crumple=paper being crumpled, scribble=a pen scribbling on paper, write~=a pencil scratching on paper, writes~=a pencil scratching on paper, writing~=a pencil scratching on paper, pen?, pencil?
kettle | fx:8 | a {kettle} whistling on the stove | kettle*, teakettle*, whistle~, boil~, boils~, boiling~, steam~
pour | fx:4 | {_water} pouring into a glass | pour, pours, pouring, poured, fill~, glug, glugging, slosh
sizzle | fx:8 | {bacon} sizzling in a hot frying pan | sizzle, sizzles, sizzling, fry, fries, frying, sear, searing, wok?={onions} sizzling in a hot wok, onion?, onions?, garlic?, vegetables?, mushrooms?, meat?, bacon?, pan?, skillet?, griddle?, oil?, butter?, steak?, sausages?
sharpen | fx:3 | a {knife} blade scraping along a sharpening steel | sharpen, sharpens, sharpening, sharpened, hone, hones, honing, whetstone!, knife?, blade?, cleaver?, axe?, scissors?
chop | fx:4 | a {knife} chopping on a wooden board | chop, chops, chopping, dice, dicing, slice, slices, slicing, knife?, cleaver?, mince
cooking | fx:6 | a pot bubbling on the stove | simmer, simmers, simmering, stew?, soup?, pot?, cauldron?=a {cauldron} bubbling, cauldrons?={cauldrons} bubbling, bubble~, bubbles~, stir, stirs, stirring
dishes | fx:4 | {dishes} clattering | dish?, dishes?, plates?, cutlery?, pots?, pans?, spoon?, fork?, crockery?, clatter~, clink~, rattle~, wash~, crash~, clang~, bang~, fall~, falls~
appliance | fx:8 | a {fridge} humming | fridge*, refrigerator*, freezer*, air conditioner*, air conditioning*, dishwasher*, washing machine*, dryer*, blender*=a blender whirring, vacuum*=a vacuum cleaner roaring, vacuum cleaner*=a vacuum cleaner roaring, hairdryer*, fan*=an electric fan whirring, hum~, whir~, whirr~, drone~
machine | fx:8 | {machinery} humming steadily | machine*, machinery*, machines*, generator*, engine room*, conveyor*, pump*, press?=a heavy press stamping down with a thud, presses?=heavy presses stamping down with a thud, slam~, stamp~, turbine?, motor?, printer*=a printer whirring, photocopier*=a photocopier whirring, coffee machine*=a coffee machine gurgling and hissing, espresso*=an espresso machine hissing, life-support*=life-support machinery humming, reactor*, hum~, humming~, whir~, whirr~, whirring~, drone~, clank~, grind~, throb~
rolling | fx:4 | a {trolley} rolling on squeaky wheels | gurney*, gurneys*, trolley*, trolleys*, wheelchair*, suitcase*, suitcases*, luggage*, pram*, stroller*, pushchair*, wheelbarrow*, roll~, rolls~, rattle~, trundle, trundles, trundling
switch | fx:1 | a light switch clicking | switch?, light switch, flick~, click~, clicks~, button?, lever?
water_tap | fx:5 | water running from a tap into a sink | tap?, faucet?, sink?, shower*=a shower running, bath?, bathtub?, flush=a toilet flushing, toilet?
fabric | fx:3 | cloth rustling | cloth?, coat?, jacket?, blanket?, sheets?, curtain?, curtains?, cape?, zip=a zipper being zipped, zipper?, unzip=a zipper being zipped
impact | fx:2 | a heavy thud | thud, thuds, thump~, thumps~, slump, collapse~, collapses~, fall~, falls~, drop~, drops~, dropped~, punch=a punch landing with a thud, punches=a punch landing with a thud, kick=a hard kick with a thud, kicks=a hard kick with a thud, kicked=a hard kick with a thud, hit~, hits~, smack, whack, slap=a sharp slap, body?, tumble~, crash~=a heavy crash
crash | fx:3 | a loud crash and clatter | crash~, crashes~, clatter, clattering, topple~, collapse~, rubble?, debris?, avalanche*=a rumbling avalanche, landslide*=a rumbling landslide, rockfall*
wood | fx:4 | {_someone} chopping wood | axe?, ax?, saw?=a hand saw sawing wood, sawing=a hand saw sawing wood, hammer=a hammer hitting a nail, hammering=a hammer hitting a nail, nail?, drill=a power drill whirring, drilling=a power drill whirring, chainsaw*=a chainsaw buzzing, woodpile?, log?, logs?
metal | fx:3 | {_metal} clanking | clank, clanks, clanking, clang, clangs, clanging, clink~, jangle, jangling, chain?, chains?, anvil*=a hammer striking an anvil, blacksmith*=a hammer striking an anvil, pipe?, pipes?, metal?, scrape=metal scraping, grinding=metal grinding, screech~
coins | fx:2 | coins jingling | coin?, coins?, change?, jingle~, purse?, cash register*=a cash register ringing, till?
match_strike | fx:2 | a match struck and flaring | light+candl, candl+light, light+lamp, lamp+light, light+lantern, lantern+light, strike+match, strikes+match, struck+match, match+strike, match+light, matchstick*
# --- weapons, war, action ----------------------------------------------------------------------
gunshot | fx:2 | a {gunshot} echoing | gunshot!, gunshots!, shot~, shots~, gunfire!, open fire=gunfire, opens fire=gunfire, opened fire=gunfire, starting pistol*=a starting pistol firing, starting gun*=a starting pistol firing, pistol?, rifle?, revolver?, shotgun?, musket?, gun?, guns?, fire~=a {gun} firing, fires~=a {gun} firing, fired~=a {gun} firing, firing~=a {gun} firing, shoot~, shoots~, volley!, ricochet!, bullet?, bullets?, machine gun=a machine gun firing in bursts, machine guns=machine guns firing in bursts, rattle~, crack~
cannon | fx:4 | a {cannon} firing with a deep boom | depth charge*=a depth charge exploding with a deep boom, cannon*, cannons*, artillery*, mortar*, howitzer*, thunder~, boom~, booms~
explosion | fx:5 | a huge {explosion} | explosion!, explosions!, explode, explodes, exploding, blast~, blasts~, bomb!, bombs!, detonation!, detonate, grenade!=a grenade exploding, grenades!=grenades exploding, kaboom, blow up, blows up, dynamite!, burst~, shell?=an artillery shell whistling in and exploding, shells?=artillery shells whistling in and exploding, mine?, fireworks!=fireworks bursting and crackling, firework!=fireworks bursting and crackling
sword | fx:2 | a {sword} clanging against steel | duel=swords clashing in a duel, duels=swords clashing in a duel, duelling=swords clashing in a duel, dueling=swords clashing in a duel, swordfight=swords clashing in a duel, fencing~=swords clashing in a duel, sword?, swords?, blade?, blades?, dagger?, knife?, sabre?, saber?, steel~, clash, clashes, clashing, parry, draw~=a sword drawn from its scabbard with a ringing scrape, draws~=a sword drawn from its scabbard with a ringing scrape, unsheathe=a sword drawn from its scabbard with a ringing scrape, clang~, ring~, swing~
arrow | fx:1.5 | an {arrow} whooshing past and hitting wood | arrow?, arrows?, bow?, crossbow?, spear?, loose~, fly~, flies~, whiz, whizz, thwack
whoosh | fx:1.5 | a fast whoosh | whoosh, whooshes, swoosh, swish, swishes, woosh, zoom~, zooms~, rush~, swoop, swoops, hurl~, throw~, fling~
whistle | fx:2 | a {referee} blowing a sharp whistle | whistle+blow=a whistle blowing sharply, referee?, whistle~, whistles~, blow~, blows~
sports | fx:2 | a {ball} being kicked and bouncing | ball?, kick~, kicks~, kicked~, bounce~=a {ball} bouncing, bounces~=a {ball} bouncing, dribble, dribbling, bat?, racket?, serve~, swing~, net?, goal?, hoop?, swish~
laser | fx:1 | a sci-fi {laser} firing | laser*, lasers*, phasers*, torpedo?=a photon torpedo whooshing, torpedoes?=photon torpedoes whooshing, blaster*, blasters*, ray gun*, phaser*, zap, zaps, zapping, pew, pew-pew, energy beam!, beam~, plasma*
powerup | fx:1.5 | a video game power-up sound rising in pitch | power-up, powerup, power up, power-ups, level up, level-up, 1-up, bonus!, extra life, upgrade~, collect~
coin_pickup | fx:1 | an 8-bit coin pickup blip | coin+collect, coin+grab, coin+pick, coin pickup, 8-bit?, arcade?, chiptune, menu?, game over=an 8-bit game over jingle
robot | fx:3 | a {robot} moving with servo whirs | robot*, robots*, droid*, android*, mech*, cyborg*, servo!, servos!
teleport | fx:2 | a sci-fi teleport shimmer | teleport, teleports, teleporting, warp~, portal*, beam up, materialise, materialize, vanish~, dematerialise
spaceship | fx:10 | a {spaceship} engine humming with a deep drone | spaceship*, starship*, spacecraft*, cruiser?, space station?, station?, ufo*, shuttle?, hyperdrive!, warp drive!, thruster!, thrusters!, rocket*=a rocket launching with a thunderous roar, rockets*=rockets roaring, liftoff!=a rocket launching with a thunderous roar, launch~=a rocket launching with a thunderous roar
airlock | fx:3 | an {airlock} hissing open | airlock*, airlocks*, hatch?, pneumatic!, hiss~, hisses~, hissing~, decompress, depressurise, depressurize, vent~
sonar | fx:4 | a {sonar} pinging underwater | sonar*, ping, pings, pinging, radar?
magic | fx:3 | a magical shimmer of sparkling chimes | spell?, spells?, magic?, magical?, wand?, sparkle, sparkles, sparkling, shimmer, shimmers, enchant~, glow~, glows~, fairy*, fairies*, potion?, cast~, casts~
ghost | fx:5 | a {ghost} moaning eerily | ghost*, ghosts*, spirit?, spirits?, phantom*, spectre*, specter*, wraith*, banshee*=a banshee wailing, zombie*=a zombie groaning, zombies*=zombies groaning, moan~, wail~, groan~, howl~
# --- vehicles and city -------------------------------------------------------------------------
engine | fx:6 | a {car} engine revving | engine!, engines!, motor~, rev, revs, revving, ignition!, idle~, idling, vroom, accelerate, accelerates, accelerating, throttle!, exhaust!, backfire=a car engine backfiring, car?, cars?, truck?, tractor*=a tractor engine chugging, pickup truck*=a pickup truck engine rattling, motorcycle*=a motorcycle engine revving, motorbike*=a motorcycle engine revving, moped*, scooter?, chug, chugs, chugging, splutter, sputter, sputters, start~, starts~, roar~
passby | fx:6 | a {car} driving past | drive past, drives past, drive by, drives by, speed past, speeds past, speeds by, passes by, pass by, whizz past, zoom past, zooms past, car+pass, car+drive, truck+pass, bus+pass, van?, taxi?, taxis?, lorry?, convoy*, race car*, racing car*, drive~, drives~, speed~, speeds~, pass~, passes~, approach~
tyres | fx:3 | tyres screeching on asphalt | screech=tyres screeching on asphalt, screeches=tyres screeching on asphalt, screeching=tyres screeching on asphalt, skid, skids, skidding, tire?, tires?, tyre?, tyres?, squeal~, squeals~, squealing~
brakes | fx:3 | {brakes} squealing | brake!, brakes!, braking, air brakes!=air brakes hissing, squeal~, hiss~, halt~, stop~, screech~
horn | fx:2 | a car horn honking | horn?, horns?, honk, honks, honking, hoot~, beep~, toot, tooting, klaxon*
siren | fx:6 | a {siren} wailing | siren*, sirens*, police car*, ambulance*, fire engine*, firetruck*, fire truck*, police*, cop car*, wail~, wails~, wailing~, blare~, blares~, blaring~, nee-naw
traffic | place | traffic flowing on a busy {road} | traffic, road?, highway*, motorway*, freeway*, rush hour, intersection*, junction*, avenue*, boulevard*, commuters?, gridlock
city | place | a busy {city} street, distant traffic and voices | city*, street*, streets*, alley*=a narrow city alley with distant traffic echoing, alleyway*=a narrow city alley with distant traffic echoing, backstreet*=a narrow city alley with distant traffic echoing, downtown*, town*, metropolis*, urban, sidewalk?, pavement?, market*, marketplace*, bazaar*, square?, plaza*, neighbourhood?, neighborhood?, main street*, village*
train | fx:12 | a {train} rolling along the tracks | train*, trains*, locomotive*, railway*, railroad*, rails!, tracks?, clickety-clack, freight*, subway*, metro*, tram*, tube?, carriage?, carriages?, wagons?, sleeper train*, night train*, steam train*, express*, train whistle=a steam train whistle blowing, whistle~=a steam train whistle blowing, chug~, rumble~, clatter~, wheel?, wheels?
station | place | a busy station hall, a crowd murmuring and announcements echoing | station*, platform*, terminal*, concourse*, depot*, airport*=a crowd murmuring in a busy airport terminal hall with echoing announcements, departure lounge*=a crowd murmuring in a busy airport terminal hall with echoing announcements, departures hall*=a crowd murmuring in a busy airport terminal hall with echoing announcements, arrivals hall*=a crowd murmuring in a busy airport terminal hall with echoing announcements, baggage claim*=a crowd murmuring in a busy airport terminal hall with echoing announcements
bus | fx:5 | a {bus} pulling up, engine idling | bus*, buses*, coach?, minibus*, pull~, pulls~
jet | fx:10 | a {jet} roaring overhead | jet*, jets*, plane*, planes*, airplane*, aeroplane*, aircraft*, airliner*, fighter jet*, fighter?, bomber*, take off, takes off, takeoff, flyover, fly over, flies over, roar~, scream~, screams~, streak~
helicopter | fx:10 | a {helicopter} hovering, rotor blades chopping | helicopter*, helicopters*, chopper*, choppers*, rotor!, rotors!, whirlybird*, circle~, hover~, hovers~
boat | fx:8 | a small {boat} motor puttering past | boat*, boats*, motorboat*, speedboat*, outboard*, fishing boat*, ferry*, tugboat*, putter, putters, puttering, put-put
ship | fx:10 | a {ship} horn sounding across the water | ship+horn=a ship's horn sounding across the water, ship?, ships?, ocean liner*, steamship*, foghorn!=a foghorn sounding, fog horn!=a foghorn sounding, freighter*, sail?=sails flapping in the wind, sails?=sails flapping in the wind, flap~, oar?, oars?=oars splashing in the water, row~, rowing~, paddle~
bicycle | fx:4 | a {bicycle} bell ringing and wheels ticking | bicycle*, bike*, bikes*, cyclist*, pedal~, skateboard*=a skateboard rolling on concrete, rollerblades*, scooter?
construction | place | a construction site, machinery rumbling and clanking | construction*, building site*, jackhammer*=a jackhammer pounding, bulldozer*, crane?, excavator*, roadworks*, drill~, hammer~, drills~
# --- places with a sound of their own ------------------------------------------------------
forest | place | {forest} ambience, birdsong and rustling leaves | forest*, forests*, woods*, woodland*, jungle*=dense jungle ambience with insects and distant birds, rainforest*=dense rainforest ambience with insects and distant birds, grove*, wilderness*, trees?, pine?, pines?, glade*, thicket*
beach | place | waves lapping on the {beach} | beach*, shore*, coast*, seashore*, cove*, bay?, harbour*=water lapping against boats in a harbour, harbor*=water lapping against boats in a harbor, pier*, dock*, docks*, marina*, island*, lagoon*, lighthouse*=waves breaking on the rocks below a lighthouse
countryside | place | quiet countryside ambience, distant birds and a light breeze | countryside*, meadow*, meadows*, field?, fields?, farm*, farmyard*, pasture*, prairie*, valley?, hills?, orchard*, vineyard*, garden*, park*, village green*
night | time | quiet night ambience with crickets chirping | night*, after dark, sun+set, sun+sets, sun+down, sunset*, sundown*, midnight*, nighttime*, nightfall*, dusk?, moonlight?, moonlit?, starlit?, stars?
dawn | time | early morning ambience with a distant dawn chorus of birds | dawn*, daybreak*, sunrise*, morning?, dawn breaks, morning+come, morning+break, morning+arrive, day+break, by morning, next morning, in the morning, sun+rise, sun+rises, sun+rose, sun+up
cave | place | a dripping {cave}, hollow and echoing | cave*, caves*, cavern*, grotto*, mine*, tunnel*, catacombs*, catacomb*, dungeon*, crypt*, sewer*, underground*
desert | place | dry wind blowing over the {desert} sand | desert*, dunes*, sand dunes*, wasteland*, canyon*, badlands*, tumbleweed*, tumbleweeds*
mountain | place | high mountain wind, vast and cold | mountain*, mountains*, summit*, peak*, cliff*, cliffs*, glacier*, ridge*, tundra*, arctic*, antarctic*, snowfield*
battlefield | place | a distant {battlefield}, far-off explosions and gunfire | battlefield*, battle*, war*, trenches*, trench*, warzone*, war zone*, front line*, siege*
stadium | place | a {stadium} crowd murmuring in anticipation | stadium*, arena*, gym*, gymnasium*, sports hall*, ballpark*, game?, pitch?, court?, ring?, racetrack*, racecourse*, marathon*, finish line*, starting line*, grandstand*, stands?
restaurant | place | a busy {restaurant}, chatter and clinking cutlery | restaurant*, cafe*, café*, diner*, bistro*, canteen*, cafeteria*, pub*, bar?, tavern*, saloon*, cantina*, jazz club*=a busy jazz club with a murmuring crowd and clinking glasses, inn*, nightclub*, club?, party*, birthday*=a birthday party, people chatting, wedding*, banquet*, feast*
school | place | the murmur of children in a {classroom} | classroom*, school*, playground*=children playing and shouting in a playground, schoolyard*=children playing and shouting in a playground, children*=children's voices murmuring, kids*=children's voices murmuring, recess*=children playing and shouting in a playground
office | place | an open-plan {office}, keyboards and distant phones | office*, offices*, cubicle*, newsroom*, call centre*, call center*
hospital | place | a quiet {hospital}, distant voices murmuring in the corridors | hospital*, ward*, wards*, clinic*, operating theatre*, operating room*, icu*, emergency room*, monitor?=a heart monitor beeping, heart monitor*=a heart monitor beeping
factory | place | a {factory} floor, heavy machinery clanking | factory*, factories*, mill*, foundry*, workshop*, warehouse*, forge*, engine room*, sawmill*
spacebridge | place | the hum of a starship bridge, soft computer blips | bridge of the starship, bridge of the spaceship, bridge of the ship, bridge of the*, starship bridge, spaceship bridge, control room*, cockpit*, orbital?, station?, space station*, mothership*
church | place | the hushed reverberant air of a {church} | church*, cathedral*, chapel*, temple*, abbey*, monastery*, mosque*
castle | quiet | a cold stone {castle} hall, faint wind through the corridors | castle*, fortress*, courtyard*=an open stone courtyard with faint wind and distant voices, tower*, palace*, throne room*, great hall*, mansion*, manor*, keep?
house | quiet | quiet room tone inside a {house} | house*, home*, farmhouse*, cottage*, cabin*, hut*, shack*, barn*, apartment*, flat?, room*, bedroom*, living room*, hallway*, hall?, attic*, basement*, cellar*, corridor*, study?, library*, bathroom*, lobby*, motel*, hotel*, studio*
kitchen | quiet | a quiet {kitchen}, a fridge humming softly | kitchen*, kitchens*, bakery*, galley*, chef*=a quiet kitchen with a fridge humming softly, chefs*=a quiet kitchen with a fridge humming softly, cook*=a quiet kitchen with a fridge humming softly
train_interior | quiet | inside a moving train carriage, wheels clattering softly | compartment*, sleeping car*, dining car*
car_interior | quiet | inside a moving {car}, low road rumble | inside the car, in the car, backseat*, back seat*, driver's seat, dashboard?
ship_interior | quiet | inside a {submarine}, low engine hum and creaking hull | submarine*, sub?, deck?, cabin?, hull?, bunk?, starship?
space | quiet | the low electronic hum of a {spacecraft} interior | space*=the low electronic hum of a spacecraft interior, astronaut*=the low electronic hum of a spacecraft interior, astronauts*=the low electronic hum of a spacecraft interior, cosmonaut*=the low electronic hum of a spacecraft interior, outer space*, orbit*, zero gravity*, moon?, mars*, planet?, asteroid*, galaxy*
# --- generic sound verbs: the subject names the source ("the ground rumbles") --------------------
hiss | fx:3 | {_steam} hissing like escaping air | hiss, hisses, hissing, hissed
rumble | fx:5 | {_something} rumbling | rumble, rumbles, rumbling, rumbled
rattle | fx:3 | {_something} rattling | rattle, rattles, rattling, rattled
buzz | fx:4 | {_something} buzzing | buzz, buzzes, buzzing, buzzed
hum | fx:6 | {_something} humming | hum, hums, humming, hummed, thrum, thrums, thrumming, throb, throbs, throbbing, whir, whirs, whirring, whirr, whine, whines, whining, drone, drones, droning
roar | fx:4 | {_something} roaring | roar, roars, roaring, roared
bang | fx:2 | a loud {_bang} | bang, bangs, banging, banged, boom, booms, booming, boomed, crack, cracks, cracked, cracking
balloon | fx:1 | {balloons} popping like small explosions | balloon*, balloons*, pop~, burst~
pop | fx:1 | {_something} popping | pop, pops, popping, popped, snap, snaps, snapping, snapped
click | fx:1 | {_something} clicking | click, clicks, clicking, clicked, clack, clacks, clacking, clatter~
squeak | fx:2 | {_something} squeaking | squeak, squeaks, squeaking, squeal, squeals, squealing, screech, screeches, screeching
scrape | fx:3 | {_something} scraping | scrape, scrapes, scraping, scratch, scratches, scratching, grind, grinds, grinding, grate, grates
crunch | fx:2 | {_something} crunching | crunch, crunches, crunching, crumble, crumbles
ring | fx:4 | {_something} ringing | ring, rings, ringing, ding, dings, dinging, ping~, chime, chimes, chiming, clang~
whistle_gen | fx:3 | {_something} whistling | whistle, whistles, whistling, whistled
gurgle | fx:4 | {_water} gurgling | gurgle, gurgles, gurgling, bubble, bubbles, bubbling, slosh, sloshes, sloshing
thump_gen | fx:2 | {_something} thumping | thump, thumps, thumping, pound, pounds, pounding, bump, bumps
groan | fx:4 | {_something} groaning | groan, groans, groaning, moan, moans, moaning, wail, wails, wailing, howl, howls, howling
# a sound named only by its subject and verb ("suitcases roll across the floor"): no triggers
sound | fx:3 | {_something} sounding |
# --- music --------------------------------------------------------------------------------------
music | music:20 | {music} playing | jazz music!, music!, song!, songs!, melody!, tune!, tunes!, soundtrack!, score?, jingle~, band*, orchestra*, quartet*, ensemble*, choir~, concert*, symphony!, anthem!, waltz!, lullaby~, jazz!=smooth jazz music playing, blues?, rock and roll, disco!, radio?=a song playing on an old radio, jukebox*=a song playing on a jukebox, gramophone*=an old gramophone record playing, record player*=an old record playing, playing~, plays~, play~
piano | music:15 | a {piano} playing a [mood] melody | piano*, pianos*, keys~, harpsichord*, organ*=a church organ playing, accordion*, keyboard~
guitar | music:15 | a {guitar} strumming a [mood] tune | guitar*, guitars*, banjo*, ukulele*, mandolin*, lute*, strum, strums, strumming, pluck~, plucks~, harp*=a harp playing a flowing melody, harps*=harps playing a flowing melody, sitar*
strings | music:15 | a {violin} playing a [mood] melody | violin*, violins*, fiddle*, cello*, cellos*, viola*, strings~, string quartet*, double bass*, bow~
winds | music:10 | a {flute} playing a [mood] melody | flute*, flutes*, clarinet*, oboe*, saxophone*, sax*, trumpet*, trumpets*, cornet*, horn~, bugle*=a lone bugle playing a call, bagpipes*, bagpipe*, panpipe*, panpipes*, harmonica*, recorder?, tuba*, trombone*, whistle~
fanfare | music:8 | a {trumpet} sounding a triumphant fanfare | trumpet+sound, trumpet+blare, trumpet+blast, trumpet+herald, trumpet+announce, fanfare!, fanfares!, herald*, heralds*
drums | music:10 | {drums} beating a steady rhythm | drum?, drums?, drummer*, drumbeat!, drumroll!=a drum roll, tom-tom?, bongo*, bongos*, tambourine*, cymbal*, cymbals*=a cymbal crash, snare?, war drums*, timpani*, beat~, pound~
"""

# Words that are a source noun and a common verb ("lasers fire", "the explosion rocks the
# ship", "she lights a match"), or a sound verb and a common silent noun ("the bark of an
# oak", "in the ring"): the extractor reads their part of speech from the neighbours.
HOMOGRAPHS = frozenset("""
fire rock ship light train bear match watch seal park pitch duck fly saw box tap sink stamp wave bat spring
ring bark crow drum pound beat race toast shower fan flap
""".split())
# words the suffix stripper would fold into another word ("wares" is no "war")
STEM_EXCEPTIONS = {"lit": "light", "wares": "wares", "warning": "warning", "pitcher": "pitcher", "bassist": "bassist"}

# kinds that live on the ambience track
BED_KINDS = ("bed", "place", "quiet")
DEFAULT_FX_SECONDS = 4.0


@dataclass(frozen=True)
class Trigger:
    stems: tuple[str, ...]       # consecutive stems, or co-occurring stems when ``together``
    strength: str                # "strong", "head", "alone", "needs", "weak"
    template: str = ""           # this trigger's own template ("" = the concept's)
    together: bool = False


@dataclass(frozen=True)
class Concept:
    key: str
    kind: str
    template: str
    seconds: float
    triggers: tuple[Trigger, ...] = field(default=(), compare=False)
    heads: frozenset = field(default=frozenset(), compare=False)   # stems usable as the head noun

    @property
    def is_bed(self) -> bool:
        return self.kind in BED_KINDS


def stem(word: str) -> str:
    """A light suffix stripper shared by the lexicon and the story text: barks/barking/barked
    -> bark, slamming -> slam, whistles/whistling -> whistl, cries -> cry, hisses -> hiss."""
    w = word.lower()
    if w.endswith(("'s", "’s")) and len(w) > 3:
        w = w[:-2]   # "the spaceship's engines": the spaceship
    if w in STEM_EXCEPTIONS:
        return STEM_EXCEPTIONS[w]
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("ied") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("ing") and len(w) > 5:
        w = w[:-3]
        if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
            w = w[:-1]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
        if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
            w = w[:-1]
    elif w.endswith(("sses", "shes", "ches", "xes", "zzes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


_STRENGTH = {"!": "head", "*": "alone", "?": "needs", "~": "weak"}


def _parse_trigger(raw: str) -> Trigger:
    word, _, template = raw.partition("=")
    word = word.strip()
    strength = "strong"
    if word and word[-1] in _STRENGTH:
        strength, word = _STRENGTH[word[-1]], word[:-1]
    together = "+" in word
    parts = word.split("+") if together else word.replace("-", " ").split()
    stems = tuple(stem(p) for p in parts if p.strip())
    return Trigger(stems=stems, strength=strength, template=template.strip(), together=together)


def parse_lexicon(text: str = LEXICON) -> tuple[Concept, ...]:
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, kind, template, triggers = (f.strip() for f in line.split("|"))
        kind, _, secs = kind.partition(":")
        trig = tuple(_parse_trigger(t) for t in triggers.split(",") if t.strip())
        heads = frozenset(t.stems for t in trig if t.strength in ("head", "alone", "needs") and not t.together)
        out.append(Concept(key, kind, template, float(secs) if secs else DEFAULT_FX_SECONDS, trig, heads))
    return tuple(out)
