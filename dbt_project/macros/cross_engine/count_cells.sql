{#- int_counts_annual on Spark: its partitions are years (replace_regions.sql), so a changed
    region × year cell rebuilds its whole year in every region. -#}
{%- macro spark__count_cells_filter(cells) -%}
    {%- set years = [] -%}
    {%- for cell in cells -%}{%- do years.append(cell.rsplit('|', 1)[1]) -%}{%- endfor -%}
    {%- if years -%}
        year in ({{ years | unique | join(', ') }})
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro -%}
