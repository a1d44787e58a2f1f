-- saksgen: Markdown sections -> DOCX body, for every case of a build in ONE pandoc process.
--
-- Run as `pandoc lua render.lua JOBS.json RESULTS.json`. Each job holds one case's sections
-- (Markdown, parsed here section by section so a broken construct in one section cannot swallow
-- the next), the reference document (the profile's unrendered mal.docx: styles and page setup) and the printed texts of
-- cross-references that need the whole build (@sak, @vedlegg, @avsnitt). Figures and tables are
-- numbered here, in document order, as Word SEQ fields inside bookmarks; references to them are
-- REF fields with the correct cached result. Errors are caught per job and reported in
-- RESULTS.json so one bad case does not stop the batch.

local json = pandoc.json

-- Reader: pandoc's Markdown without anything that would let case text become markup or code,
-- and without "smart" typography, so what the officer typed is what the paper shows.
local READER = "markdown-smart-raw_html-raw_tex-raw_attribute-tex_math_dollars-tex_math_single_backslash"
  .. "-yaml_metadata_block-latex_macros-fenced_divs-bracketed_spans-native_divs-native_spans"

local BOOKMARK_BASE = 900000 -- our bookmark ids; saksgen renumbers all ids after pandoc

local function xml_escape(s)
  return (s:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

local function run(text, rpr)
  return "<w:r>" .. (rpr or "") .. '<w:t xml:space="preserve">' .. xml_escape(text) .. "</w:t></w:r>"
end

-- A complex field with its cached result, so Word shows the right text before any update.
local function field(instr, result)
  return '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    .. '<w:r><w:instrText xml:space="preserve"> ' .. xml_escape(instr) .. " </w:instrText></w:r>"
    .. '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    .. run(result)
    .. '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
end

local Job = {}
Job.__index = Job

function Job.new(spec)
  local self = setmetatable({}, Job)
  self.spec = spec
  self.next_bookmark = BOOKMARK_BASE
  self.labels = {} -- "fig:x" -> {number=, bookmark=}
  self.counters = { fig = 0, tab = 0 }
  return self
end

function Job:bookmarked(name, inner)
  self.next_bookmark = self.next_bookmark + 1
  local id = tostring(self.next_bookmark)
  return '<w:bookmarkStart w:id="' .. id .. '" w:name="' .. name .. '"/>' .. inner
    .. '<w:bookmarkEnd w:id="' .. id .. '"/>'
end

-- Caption prefix "Figur 1" / "Tabell 1": the number is a SEQ field inside a bookmark, so a REF
-- to the bookmark yields just the number and the running text keeps its own lower-case word.
function Job:text(key, default)
  local t = (self.spec.texts or {})[key]
  return t or default
end

function Job:caption(kind, label, caption_inlines)
  local info = self.labels[label]
  -- The SEQ identifier stays "Figur"/"Tabell" in every målform: it names Word's counter, not a word.
  local seq_name = kind == "fig" and "Figur" or "Tabell"
  local word = kind == "fig" and self:text("figur_etikett", "Figur") or self:text("tabell_etikett", "Tabell")
  local seq = field("SEQ " .. seq_name .. " \\* ARABIC", tostring(info.number))
  local prefix = pandoc.RawInline("openxml", run(word .. " ") .. self:bookmarked(info.bookmark, seq))
  local inlines = pandoc.Inlines({ prefix })
  if caption_inlines and #caption_inlines > 0 then
    inlines:insert(pandoc.Str(":"))
    inlines:insert(pandoc.Space())
    inlines:extend(caption_inlines)
  end
  local style = kind == "fig" and "Image Caption" or "Table Caption"
  return pandoc.Div({ pandoc.Para(inlines) }, { ["custom-style"] = style })
end

local function caption_inlines(caption)
  local out = pandoc.Inlines({})
  for _, block in ipairs(caption.long or {}) do
    if block.content then
      if #out > 0 then
        out:insert(pandoc.Space())
      end
      out:extend(block.content)
    end
  end
  return out
end

-- Pass 1: number labelled figures and tables in document order.
function Job:collect(blocks)
  local labels, counters, bookmark_of = self.labels, self.counters, self.spec.bookmarks or {}
  local function take(kind, id)
    if id:match("^" .. kind .. ":") and not labels[id] then
      counters[kind] = counters[kind] + 1
      labels[id] = { number = counters[kind], bookmark = bookmark_of[id] or ("_Ref_" .. kind .. counters[kind]) }
    end
  end
  pandoc.Blocks(blocks):walk({
    Figure = function(el) take("fig", el.identifier) end,
    Table = function(el) take("tab", el.identifier) end,
  })
end

-- True for a figure or table numbered in pass 1; any other identifier is dropped, so pandoc
-- writes no stray bookmark for it.
function Job:numbered(el)
  if self.labels[el.identifier] then
    return true
  end
  el.identifier = ""
  return false
end

-- Pass 2: captions, references, image paths, and no stray bookmarks from identifiers.
function Job:transform(blocks)
  local job = self
  return pandoc.Blocks(blocks):walk({
    traverse = "topdown",
    Figure = function(el)
      if not job:numbered(el) then
        return el
      end
      local alt = caption_inlines(el.caption)
      local content = pandoc.Blocks(el.content):walk({
        Image = function(img)
          img.caption = alt
          return img
        end,
      })
      local blocks = pandoc.Blocks({})
      for _, b in ipairs(content) do
        if b.t == "Plain" then
          b = pandoc.Para(b.content)
        end
        blocks:insert(pandoc.Div({ b }, { ["custom-style"] = "Captioned Figure" }))
      end
      blocks:insert(job:caption("fig", el.identifier, caption_inlines(el.caption)))
      return job:transform(blocks), false
    end,
    Table = function(el)
      if not job:numbered(el) then
        return el
      end
      local id = el.identifier
      local cap = caption_inlines(el.caption)
      el.caption = pandoc.Caption({})
      el.identifier = ""
      -- Norwegian convention: table captions above the table.
      return { job:caption("tab", id, cap), el }
    end,
  }):walk({
    Header = function(el)
      el.identifier = ""
      el.level = math.min(el.level + 1, 6) -- section headings are level 1
      return el
    end,
    Div = function(el)
      el.identifier = ""
      return el
    end,
    Span = function(el)
      el.identifier = ""
      return el
    end,
    Image = function(el)
      -- pandoc runs in the repository root, so the validated relative path resolves as is.
      -- The caption doubles as alt text (the PDF's accessibility text); never the file path
      -- or name, which pandoc would use otherwise and which may say more than the paper does.
      if #el.caption == 0 then
        el.caption = { pandoc.Str("Bilde") }
      end
      el.title = ""
      return el
    end,
    Cite = function(el)
      -- "[@fig:a; @fig:b]" holds several citations: print each, joined as pandoc would.
      local out = pandoc.Inlines({})
      for i, c in ipairs(el.citations) do
        local rendered = job:reference(c.id)
        if rendered == nil then
          return nil -- not one of ours (validation warned): keep the text as written
        end
        if i > 1 then
          out:insert(pandoc.Str(i == #el.citations and " og" or ","))
          out:insert(pandoc.Space())
        end
        out:insert(rendered)
      end
      return out
    end,
  })
end

-- saksgen hands "&" over as U+E000 so pandoc cannot decode "&amp;" or "&#60;" as entities:
-- case text prints exactly as written. Here every "&" comes back.
local AMP = "\u{E000}"
local function restore(s)
  return (s:gsub(AMP, "&"))
end
local RESTORE = {
  Str = function(el) el.text = restore(el.text) return el end,
  Code = function(el) el.text = restore(el.text) return el end,
  CodeBlock = function(el) el.text = restore(el.text) return el end,
  Link = function(el) el.target = restore(el.target) el.title = restore(el.title) return el end,
  Image = function(el) el.src = restore(el.src) el.title = restore(el.title) return el end,
}

local OUR_KINDS = { fig = true, tab = true, vedlegg = true, avsnitt = true, sak = true }

-- The printed form of one @-reference, or nil when the key is not one of saksgen's kinds.
-- A reference of our kinds that cannot be resolved here is an error: validation and pandoc
-- disagree (e.g. a labelled image that is not alone in its paragraph), and printing
-- "@fig:x" in a board paper would be worse than stopping.
function Job:reference(id)
  local kind, target = id:match("^(%a+):(.+)$")
  if not kind or not OUR_KINDS[kind:lower()] then
    return nil
  end
  local lower = kind:lower()
  local capital = kind:sub(1, 1) ~= lower:sub(1, 1)
  if lower == "fig" or lower == "tab" then
    local info = self.labels[lower .. ":" .. target]
    if not info then
      error("SAKSGEN: «@" .. id .. "» viser til en " .. (lower == "fig" and "figur" or "tabell")
        .. " som ikke ble nummerert (et bilde med {#fig:…} må stå alene i et eget avsnitt, og "
        .. "«Table: … {#tab:…}» må stå rett under tabellen)", 0)
    end
    local word = lower == "fig" and self:text("ref_figur", "figur") or self:text("ref_tabell", "tabell")
    if capital then
      word = word:sub(1, 1):upper() .. word:sub(2)
    end
    return pandoc.RawInline("openxml", run(word .. " ") .. field("REF " .. info.bookmark .. " \\h", tostring(info.number)))
  end
  local ref = (self.spec.refs or {})[lower .. ":" .. target]
  if not ref then
    error("SAKSGEN: «@" .. id .. "» kunne ikke løses opp", 0)
  end
  local text = capital and ref.text_capital or ref.text
  if ref.bookmark then
    -- "vedlegg " + REF(number) / "avsnittet «" + REF(heading) + "»"
    return pandoc.RawInline("openxml", run(capital and ref.before_capital or ref.before)
      .. field("REF " .. ref.bookmark .. " \\h", ref.result) .. run(ref.after or ""))
  end
  if ref.link then
    return pandoc.Link({ pandoc.Str(text) }, ref.link)
  end
  return pandoc.Str(text)
end

function Job:heading(section)
  local inner = run(section.heading)
  if section.bookmark then
    inner = self:bookmarked(section.bookmark, inner)
  end
  return pandoc.Header(1, { pandoc.RawInline("openxml", inner) })
end

-- A conclusion item is one line of text. Whatever pandoc made of it ("1. …" typed by hand
-- becomes a list, "# …" a heading, "> …" a quote), keep every word of it as inline text.
local function flatten(blocks, out)
  for _, b in ipairs(blocks) do
    local inlines
    if b.t == "Para" or b.t == "Plain" or b.t == "Header" then
      inlines = b.content
    elseif b.t == "CodeBlock" then
      inlines = { pandoc.Code(b.text) }
    elseif b.t == "BulletList" or b.t == "OrderedList" then
      for _, item in ipairs(b.content) do
        flatten(item, out)
      end
    elseif b.t == "BlockQuote" or b.t == "Div" or b.t == "Figure" then
      flatten(b.content, out)
    elseif b.t == "LineBlock" then
      for _, line in ipairs(b.content) do
        flatten({ pandoc.Plain(line) }, out)
      end
    else
      inlines = { pandoc.Str(pandoc.utils.stringify(b)) }
    end
    if inlines and #inlines > 0 then
      if #out > 0 then
        out:insert(pandoc.Space())
      end
      out:extend(inlines)
    end
  end
  return out
end

function Job:build()
  local spec = self.spec
  local parsed = {}
  for i, section in ipairs(spec.sections) do
    if section.kind == "tekst" then
      parsed[i] = pandoc.read(section.text, READER).blocks
    elseif section.kind == "liste" then
      local items = {}
      for _, item in ipairs(section.items) do
        local inlines = flatten(pandoc.read(item, READER).blocks, pandoc.Inlines({}))
        table.insert(items, { pandoc.Plain(inlines) })
      end
      parsed[i] = { pandoc.OrderedList(items) }
    else
      parsed[i] = {}
    end
  end
  for i = 1, #spec.sections do
    self:collect(parsed[i])
  end
  local body = pandoc.Blocks({})
  for i, section in ipairs(spec.sections) do
    -- A section without a heading continues the one before (the protokoll's items).
    if section.heading ~= "" then
      body:insert(self:heading(section))
    end
    if section.kind == "vedlegg" then
      for _, a in ipairs(section.items) do
        local seq = field("SEQ Vedlegg \\* ARABIC", string.format("%d", a.number))
        local raw = run(self:text("vedlegg_etikett", "Vedlegg") .. " ") .. self:bookmarked(a.bookmark, seq) .. run(": ")
        body:insert(pandoc.Para({ pandoc.RawInline("openxml", raw), pandoc.Str(a.title) }))
      end
    else
      body:extend(self:transform(parsed[i]):walk(RESTORE))
    end
  end
  local doc = pandoc.Pandoc(body, pandoc.Meta({ lang = spec.lang or "nb-NO" }))
  return pandoc.write(doc, "docx", { reference_doc = spec.reference_doc })
end

-- One JSON line per finished job on stdout, flushed at once: saksgen assembles each DOCX and
-- hands it to LibreOffice while the next case is still being rendered here.
local function main(jobs_path)
  local fh = assert(io.open(jobs_path, "rb"))
  local jobs = json.decode(fh:read("a"))
  fh:close()
  for _, spec in ipairs(jobs) do
    local ok, err = pcall(function()
      local bytes = Job.new(spec):build()
      local out = assert(io.open(spec.output, "wb"))
      out:write(bytes)
      out:close()
    end)
    local message = (not ok) and tostring(err):gsub("^.-SAKSGEN: ", "") or nil
    io.stdout:write(json.encode({ id = spec.id, ok = ok, error = message }), "\n")
    io.stdout:flush()
  end
end

main(arg[1])
