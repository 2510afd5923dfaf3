-- wrk script for bench/search: GET /search?q= and /es/search?q= with realistic queries in both
-- languages. wrk ... -s bench/search.lua URL -- MODE [COUNT]
--   uncached  COUNT (default 30000) distinct queries, each asked once per pass: one to three words
--             from what people type after a mass-violence incident, in English or Spanish (with and
--             without accents), one in eight a miss (a word no page has); none repeats within a pass,
--             so the results cache is defeated
--   cached    the first COUNT (default 50) of those, over and over: after the first pass, every
--             answer comes from the results cache
-- Deterministic (a fixed linear congruential sequence), so two runs ask the same things.

local en = {
  "grief", "grieving", "sleep", "nightmares", "anger", "counseling", "counselor", "compensation",
  "victim rights", "funeral costs", "medical bills", "support group", "vigil", "family assistance center",
  "parking", "replace id", "court date", "advocate", "trauma", "anxiety", "children", "talk to kids",
  "memorial", "donations", "scam", "fund", "insurance", "get my car back", "belongings", "lawyer",
  "police report", "crisis line", "therapist", "stress", "panic attacks", "guilt", "survivor",
  "witness", "first responders", "school", "time off work", "housing", "rent", "food", "mental health",
  "ptsd", "flashbacks", "alcohol", "faith", "volunteer", "loss of a child", "injured", "hospital",
  "free counseling", "open late", "where to go", "help now", "coping", "numb", "cannot stop crying",
}
local es = {
  "duelo", "duelos", "sueño", "pesadillas", "enojo", "consejería", "consejeria", "compensación",
  "derechos de las víctimas", "gastos funerarios", "facturas médicas", "grupo de apoyo", "vigilia",
  "centro de asistencia familiar", "estacionamiento", "trámites", "tramites", "tribunal", "defensor",
  "trauma", "ansiedad", "niños", "ninos", "hablar con los niños", "homenaje", "donaciones", "estafa",
  "fondo", "seguro", "abogado", "informe policial", "línea de crisis", "terapeuta", "estrés", "estres",
  "pánico", "culpa", "sobreviviente", "testigo", "escuela", "trabajo", "vivienda", "alquiler",
  "comida", "salud mental", "recuerdos", "alcohol", "fe", "voluntario", "hospital", "herido",
  "consejería gratuita", "ayuda ahora", "dónde ir", "llorar", "miedo", "familia", "policía",
}
local misses = { "zeppelin", "quasar", "xylograph", "marzipan", "gnocchi", "kazoo", "blimp", "qwerty" }

local seed = 12345
local function rand(n) -- the high bits: the low bits of this generator repeat with a short period
  seed = (seed * 1103515245 + 12345) % 2147483648
  return math.floor(seed / 65536) % n + 1
end

local function encode(s)
  return (s:gsub("[^%w%-%._~ ]", function(c) return string.format("%%%02X", string.byte(c)) end):gsub(" ", "+"))
end

local queries = {}

function init(args)
  local mode, count = args[1] or "uncached", tonumber(args[2] or "")
  local want = count or (mode == "cached" and 50 or 30000)
  local seen, tries = {}, 0
  while #queries < want and tries < want * 20 do
    tries = tries + 1
    local spanish = rand(2) == 2
    local words = spanish and es or en
    local n, parts = rand(3), {}
    for k = 1, n do parts[k] = words[rand(#words)] end
    if rand(8) == 1 then parts[rand(n)] = misses[rand(#misses)] .. rand(1000) end
    local q = table.concat(parts, " ")
    local path = (spanish and "/es/search?q=" or "/search?q=") .. encode(q)
    if not seen[path] then
      seen[path] = true
      queries[#queries + 1] = path
    end
  end
end

local i = 0
function request()
  i = i + 1
  return wrk.format("GET", queries[(i - 1) % #queries + 1])
end
